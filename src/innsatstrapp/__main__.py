from innsatstrapp.cli import run

run()
