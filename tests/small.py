"""A small municipality computed by hand: the rows and the catalog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADER = ["Løpenummer", "Tjeneste", "Fra dato", "Til dato", "Vedtatte timer", "Ressurstimer",
          "Avdeling"]
UNITS = {"HS ring 1": "Sone 1", "HS ring 2": "Sone 2", "Sykehjem": "Sykehjem"}  # else none

JANUARY = [  # D = 31.01.2024, M = 01.01.2024
    ["1", "Alarm", "01.05.2023", "", "", ""],
    ["1", "HS ring 1", "01.06.2023", "", "1,0", "1,5"],
    ["2", "HS ring 1", "31.01.2024", "", "3", "2"],           # starts on D: active and new
    ["3", "HS ring 1", "01.01.2023", "31.01.2024", "0,5", ""],  # ends on D: active and ended
    ["4", "HS ring 2", "01.01.2023", "31.12.2023", "10", ""],   # ended on M-1: neither
    ["5", "HS ring 2", "01.02.2024", "", "2", ""],              # starts after D: future
    ["6", "HS ring 2", "01.01.2022", "", "12,5", "12,5"],
    ["6", "Alarm mobil", "01.01.2024", "", "", ""],             # starts on M: new
    ["7", "Sykehjem", "31.01.2023", "", "", ""],                # 365 days
    ["8", "Sykehjem", "01.01.2024", "", "", ""],                # 30 days, new
    ["9", "Sykehjem", "31.01.2021", "", "", ""],                # 1095 days
    ["1", "TT-kort", "01.01.2020", "15.01.2024", "", ""],       # ended in the month
    ["10", "Ukjent tjeneste", "01.01.2023", "", "", ""],        # not in the catalog
    ["2", "HS ring 2", "01.03.2023", "", "4", ""],
]

DECEMBER = [  # D = 31.12.2023
    ["1", "Alarm", "01.05.2023", "", "", ""],
    ["4", "HS ring 2", "01.01.2023", "31.12.2023", "10", ""],
    ["1", "HS ring 1", "01.06.2023", "", "1,0", ""],
    ["7", "Sykehjem", "31.01.2023", "", "", ""],
]

for _row in JANUARY + DECEMBER:
    _row.append(UNITS.get(_row[1], ""))

STEPS = [["Trinn", "Nr", "Kategori", "Trapp"], ["Grunnmur", 0, "Forebygging", "ja"],
         ["Trinn 3", 3, "Hjemme", "ja"], ["Trinn 5", 5, "", "ja"], ["Trinn 6", 6, "", "ja"],
         ["På tvers", 7, "", "nei"]]
SERVICES = [["Tjeneste", "Gruppe", "Trinn", "Rolle"],
            ["Alarm", "Alarmer", "Grunnmur", ""], ["Alarm mobil", "Alarmer", "Grunnmur", ""],
            ["HS ring 1", "HS", "Trinn 3", "hjemmesykepleie"],
            ["HS ring 2", "HS", "Trinn 3", "hjemmesykepleie"],
            ["Sykehjem", "", "Trinn 6", "langtidsopphold"], ["TT-kort", "", "På tvers", ""]]


def write_catalog(path: Path, steps=STEPS, services=SERVICES) -> Path:
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2024, 1, 1)})  # the same bytes every run
    for name, rows in (("Trinn", steps), ("Tjenester", services)):
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, str):
                    sheet.write_string(r, c, v)  # never a formula, whatever the text
                else:
                    sheet.write(r, c, v)
    book.close()
    return path
