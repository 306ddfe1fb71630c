"""The demo municipality, «Fjordvik kommune»: its staircase, its services (how many use
each, for how long, with how many hours, for whom) and the catalog that places them. Every
name and number is made up."""

from __future__ import annotations

from dataclasses import dataclass

from innsatstrapp.catalog.staircase import Catalog, CatalogService, Step
from innsatstrapp.period import Period

MUNICIPALITY = "Fjordvik kommune"
MUNICIPALITY_NUMBER = "3999"
LAST_PERIOD = Period(2026, 10)

STEPS = (
    Step("Grunnmur", 0, "Forebygging og mestring"),
    Step("Trinn 1", 1, "Forebygging og mestring"),
    Step("Trinn 2", 2, "Hjemmebaserte tjenester"),
    Step("Trinn 3", 3, "Hjemmebaserte tjenester"),
    Step("Trinn 4", 4, "Korttid og avlastning"),
    Step("Trinn 5", 5, "Heldøgns omsorg"),
    Step("Trinn 6", 6, "Langtid"),
    Step("På tvers", 7, "Andre", on_staircase=False),
    Step("Boliger", 8, "Andre", on_staircase=False),
)

# name | group ("" = itself) | step | role | active | mean days | hours kind | unit | audience
# hours kind: hs = home nursing (approved + resource), pb = practical help, pbo = training
# (FUN), bpa, sk = support contact, avl = respite hours, "" = none. A mean in brackets means
# a time-limited decision (its end date is set when it starts).
_SERVICES = """
Trygghetsalarm, digital|Trygghetsalarmer|Grunnmur||455|1500||Velferdsteknologi|eldre
Trygghetsalarm, husleie|Trygghetsalarmer|Grunnmur||240|1500||Velferdsteknologi|eldre
Trygghetsalarm husstand|Trygghetsalarmer|Grunnmur||18|1500||Velferdsteknologi|eldre
Tryggh.alarm i husleie FUN|Trygghetsalarmer|Grunnmur||4|1500||Velferdsteknologi|fun
Mobil trygghetsalarm|Trygghetsalarmer|Grunnmur||100|900||Velferdsteknologi|eldre
Mobil trygghetsalarm u/bet|Trygghetsalarmer|Grunnmur||14|900||Velferdsteknologi|eldre
Trygghetsalarm m/røykvarsler|Trygghetsalarmer|Grunnmur||225|1500||Velferdsteknologi|eldre
Tekniske hj.midler Fjordvik|Tekniske hjelpemidler|Grunnmur||4600|1800||Hjelpemiddelsentralen|alle
Tekniske hj.midler, korttidslån|Tekniske hjelpemidler|Grunnmur||160|[60]||Hjelpemiddelsentralen|alle
Varslingsteknologi, dørsensor|Varslingsteknologi|Grunnmur||95|1200||Velferdsteknologi|eldre
Varslingsteknologi, fallsensor|Varslingsteknologi|Grunnmur||70|1200||Velferdsteknologi|eldre
Varslingsteknologi, sengesensor|Varslingsteknologi|Grunnmur||45|1200||Velferdsteknologi|eldre
Komfyrvakt|Varslingsteknologi|Grunnmur||120|2000||Velferdsteknologi|eldre
Lokaliseringsteknologi, GPS|Lokaliseringsteknologi|Grunnmur||85|700||Velferdsteknologi|eldre
Digital hjemmeoppfølging||Grunnmur||70|400||Velferdsteknologi|alle
Elektronisk medisineringsstøtte|Medisineringsstøtte|Grunnmur||80|900||Velferdsteknologi|eldre
Medisindispenser m/varsling|Medisineringsstøtte|Grunnmur||30|900||Velferdsteknologi|eldre
Matombringing, Fjordvik|Matombringing|Grunnmur||430|700||Kjøkkendrift|eldre
Matombringing, Dalbygda|Matombringing|Grunnmur||50|700||Kjøkkendrift|eldre
Forsterket utskrivning||Grunnmur||200|[30]||Helsehuset|eldre
Fysioterapi Fjordvik|Fysio- og ergoterapi|Grunnmur||120|[120]||Fysio- og ergoterapi|alle
Ergoterapi Fjordvik|Fysio- og ergoterapi|Grunnmur||150|[180]||Fysio- og ergoterapi|alle
Fysioterapi, barn og unge|Fysio- og ergoterapi|Grunnmur||40|[240]||Fysio- og ergoterapi|barn
Frisklivssentral||Grunnmur||90|[90]||Fysio- og ergoterapi|alle
Fallforebyggende trening|Treningsgrupper|Grunnmur||60|[120]||Fysio- og ergoterapi|eldre
Seniortrim|Treningsgrupper|Grunnmur||75|[180]||Fysio- og ergoterapi|eldre
Forebyggende hjemmebesøk 78+||Grunnmur||150|[60]||Tildelingskontoret|eldre
Hverdagsrehabilitering||Grunnmur||65|[42]||Fysio- og ergoterapi|eldre
Dagaktivitet, Borgejordet|Dagsenter/-aktivitet/-opphold|Trinn 1||17|500||Dagtilbud|fun
Dagsenter AOK|Dagsenter/-aktivitet/-opphold|Trinn 1||138|500||Dagtilbud|eldre
Dagaktivitet, Veldre|Dagsenter/-aktivitet/-opphold|Trinn 1||6|500||Dagtilbud|fun
Dagopphold Frøytunet|Dagsenter/-aktivitet/-opphold|Trinn 1||14|500||Dagtilbud|eldre
Dagopphold Furuheim|Dagsenter/-aktivitet/-opphold|Trinn 1||15|500||Dagtilbud|eldre
Dagopphold Grevle sykehjem|Dagsenter/-aktivitet/-opphold|Trinn 1||45|500||Dagtilbud|eldre
Dag/kveldsopphold, Vittersø gård|Dagsenter/-aktivitet/-opphold|Trinn 1||24|500||Dagtilbud|eldre
Dagopphold Nordbygda sykehjem|Dagsenter/-aktivitet/-opphold|Trinn 1||11|500||Dagtilbud|eldre
Dagopphold Dalbygda|Dagsenter/-aktivitet/-opphold|Trinn 1||18|500||Dagtilbud|eldre
Dagopphold Sentrum|Dagsenter/-aktivitet/-opphold|Trinn 1||26|500||Dagtilbud|eldre
Dagopphold Tjølling sykehjem|Dagsenter/-aktivitet/-opphold|Trinn 1||22|500||Dagtilbud|eldre
Dagopphold Tårngården|Dagsenter/-aktivitet/-opphold|Trinn 1||21|500||Dagtilbud|eldre
Grønn omsorg - dagaktivitet|Dagsenter/-aktivitet/-opphold|Trinn 1||14|400||Dagtilbud|fun
Støttekontakt, barn og unge|Støttekontakt|Trinn 1||62|900|sk|Funksjonshemmede|barn
Støttekontakt, voksne|Støttekontakt|Trinn 1||108|900|sk|Funksjonshemmede|fun
Støttekontakt, psykisk helse|Støttekontakt|Trinn 1||66|700|sk|Psykisk helse og rus|fun
Bolig og trening||Trinn 1||10|[300]||Psykisk helse og rus|fun
Praktisk bistand Fjordvik|Praktisk bistand|Trinn 2||427|900|pb|Hjemmetjenester|eldre
Praktisk bistand ring 1|Praktisk bistand|Trinn 2||53|900|pb|Hjemmetjenester ring 1|eldre
Praktisk bistand ring 2|Praktisk bistand|Trinn 2||89|900|pb|Hjemmetjenester ring 2|eldre
Praktisk bistand ring 3|Praktisk bistand|Trinn 2||59|900|pb|Hjemmetjenester ring 3|eldre
Praktisk bistand DNAS|Praktisk bistand|Trinn 2||3|900|pb|Hjemmetjenester|eldre
Praktisk bistand Nordbygda|Praktisk bistand|Trinn 2||20|900|pb|Hjemmetjenester|eldre
Praktisk bistand Dalbygda|Praktisk bistand|Trinn 2||37|900|pb|Dalbygda hjemmetjenester|eldre
Praktisk bistand FUN|Praktisk bistand|Trinn 2||48|1200|pb|Funksjonshemmede|fun
Praktisk bistand dagl.gj., ring 2|Praktisk bistand|Trinn 2||6|600|pb|Hjemmetjenester ring 2|eldre
Praktisk bistand dagl.gj., ring 3|Praktisk bistand|Trinn 2||5|600|pb|Hjemmetjenester ring 3|eldre
Praktisk bistand dagl.gj., Dalbygda|Praktisk bistand|Trinn 2||2|600|pb|Dalbygda hjemmetjenester|eldre
Praktisk bistand/opplæring ROP|Praktisk bistand|Trinn 2||2|600|pbo|Psykisk helse og rus|fun
Praktisk bistand og opplæring, FUN|Praktisk bistand|Trinn 2||224|1500|pbo|Funksjonshemmede|fun
Praktisk bistand/opplæring, psykisk helse|Praktisk bistand|Trinn 2||9|600|pbo|Psykisk helse og rus|fun
Praktisk bistand/opplæring, botiltak|Praktisk bistand|Trinn 2||31|1200|pbo|Funksjonshemmede|fun
Brukerstyrt personlig assistanse|BPA|Trinn 2||14|2500|bpa|Funksjonshemmede|fun
Omsorgsstønad||Trinn 2||124|1200||Tildelingskontoret|fun
Avlastning privat FUN|Avlastning, privat|Trinn 2||25|[365]|avl|Funksjonshemmede|barn
Hjemmesykepleie ring 1|Hjemmesykepleie, ringene|Trinn 3|hjemmesykepleie|540|420|hs|Hjemmetjenester ring 1|eldre
Hjemmesykepleie ring 2|Hjemmesykepleie, ringene|Trinn 3|hjemmesykepleie|520|420|hs|Hjemmetjenester ring 2|eldre
Hjemmesykepleie ring 3|Hjemmesykepleie, ringene|Trinn 3|hjemmesykepleie|480|420|hs|Hjemmetjenester ring 3|eldre
Hjemmesykepleie, natt|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|90|300|hs|Hjemmetjenester natt|eldre
Hjemmesykepleie FUN|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|118|900|hs|Funksjonshemmede|fun
Hjemmesykepleie DNAS|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|40|420|hs|Hjemmetjenester|eldre
Hjemmesykepleie Dalbygda|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|110|420|hs|Dalbygda hjemmetjenester|eldre
Hjemmesykepleie Nordbygda|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|50|420|hs|Hjemmetjenester|eldre
Hjemmesykepleie ambulerende VPA|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|2|600|hs|Hjemmetjenester|eldre
Hjemmesykepleie levert av andre|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|3|200|hs|Tildelingskontoret|eldre
Psykisk helsearbeid i hjemmet||Trinn 3||120|500||Psykisk helse og rus|fun
Avlastning timer - avlastningssenter|Avlastning|Trinn 4||14|[60]|avl|Funksjonshemmede|barn
Avlastning døgn - avlastningssenter|Avlastning|Trinn 4||60|[90]||Funksjonshemmede|barn
Avlastning døgn - Snippen|Avlastning|Trinn 4||1|[90]||Funksjonshemmede|barn
Avklaringsopphold Byskogen|Avlastning|Trinn 4||1|[14]||Helsehuset|eldre
Avklaringsplass Helsehuset|Avlastning|Trinn 4||18|[10]||Helsehuset|eldre
Avlastningsopphold sykehjem|Avlastning|Trinn 4||9|[9]||Sykehjem|eldre
Korttid Byskogen sykehjem|Korttid|Trinn 4||7|[18]||Sykehjem|eldre
Korttidsopphold sykehjem utr/beh|Korttid|Trinn 4||17|[15]||Sykehjem|eldre
Korttid rehabilitering Presteløkka|Korttid|Trinn 4||21|[12]||Helsehuset|eldre
Korttid utr/beh Helsehuset|Korttid|Trinn 4||20|[14]||Helsehuset|eldre
Lindrende utr/beh Helsehuset||Trinn 4||3|[13]||Helsehuset|eldre
Ø-hjelp Helsehuset|Ø-hjelp|Trinn 4||4|[3]||Helsehuset|alle
Bolig med heldøgns bemanning|Heldøgns omsorg i bolig|Trinn 5||60|1500||Boligkontoret|eldre
Bofellesskap med heldøgns tjenester, FUN|Heldøgns omsorg i bolig|Trinn 5||24|3000||Funksjonshemmede|fun
Langtidsopphold sykehjem|Langtidsopphold|Trinn 6|langtidsopphold|300|850||Sykehjem|eldre
Langtidsopphold Byskogen sykehjem|Langtidsopphold|Trinn 6|langtidsopphold|13|1150||Sykehjem|eldre
Langtidsopphold Helsehuset|Langtidsopphold|Trinn 6|langtidsopphold|6|60||Helsehuset|eldre
Langtidsopphold fra andre kommuner|Langtidsopphold|Trinn 6|langtidsopphold|1|800||Tildelingskontoret|eldre
Langtidsopphold Fraida|Langtidsopphold|Trinn 6|langtidsopphold|2|600||Sykehjem|eldre
Individuell plan||På tvers||32|1500||Tildelingskontoret|fun
Koordinator||På tvers||140|1200||Tildelingskontoret|alle
Ledsagerbevis||På tvers||500|1100||Tildelingskontoret|alle
Parkeringsbevis||På tvers||620|1100||Tildelingskontoret|alle
TT-kort||På tvers||627|1100||Tildelingskontoret|alle
Omsorgsbolig|Boliger|Boliger||250|1800||Boligkontoret|eldre
Trygghetsbolig|Boliger|Boliger||80|1800||Boligkontoret|eldre
Bofellesskap FUN|Boliger|Boliger||90|3000||Funksjonshemmede|fun
"""

# Services that turn up in the extracts but not in the catalog (data quality).
_UNMAPPED = """
Hverdagsrehabilitering, pilot|||8|[42]||Fysio- og ergoterapi|eldre
Tjeneste under avklaring|||3|[60]||Tildelingskontoret|alle
Velferdsteknologi, nattkamera|||6|900||Velferdsteknologi|eldre
"""


@dataclass(frozen=True)
class DemoService:
    name: str
    group: str
    step: str | None
    role: str | None
    active: int
    mean_days: int
    time_limited: bool
    hours: str
    unit: str
    audience: str


def _parse(table: str, mapped: bool) -> list[DemoService]:
    out = []
    for line in table.strip().splitlines():
        if mapped:
            name, group, step, role, active, mean, hours, unit, audience = line.split("|")
        else:
            name, group, role, active, mean, hours, unit, audience = line.split("|")
            step = ""
        limited = mean.startswith("[")
        out.append(DemoService(name, group or name, step or None, role or None, int(active),
                               int(mean.strip("[]")), limited, hours, unit, audience))
    return out


SERVICES = _parse(_SERVICES, mapped=True)
UNMAPPED = _parse(_UNMAPPED, mapped=False)


def demo_catalog() -> Catalog:
    return Catalog(STEPS, tuple(CatalogService(s.name, s.group, s.step, s.role)
                                for s in SERVICES))


STEP_LEVEL = {s.name: s.order for s in STEPS}
