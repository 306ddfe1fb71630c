from innsatstrapp.cli import main

main()
