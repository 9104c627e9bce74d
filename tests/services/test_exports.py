"""The services' exports read back with openpyxl: the 市民证 list with each person's due day and status, ID
numbers masked text cells unless a permitted user asks for full ones."""

import datetime

import openpyxl
import pytest

from settlements import exports
from settlements.id_numbers import mask

from . import factories as make

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_card_list_exports_each_residents_due_day_and_status_with_masked_id_numbers(users):
    _, late = make.resident("fumin", name="杨明", moved_in=D(2019, 8, 31))
    make.card(late, D(2020, 3, 1), number="RJ-1")
    _, waiting = make.resident("fumin", name="吴英", moved_in=D(2020, 1, 15))
    _, other = make.resident("fengle", name="潘丰")
    export = exports.run(exports.get("services.citizen_cards"), users["clerk_wenti"], {"day": "2020-07-15"})
    sheet = openpyxl.load_workbook(export.file)["市民证办理情况"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[:4] for row in rows] == [
        ["富民", late.household.code, "杨明", mask(late.id_number)],
        ["富民", waiting.household.code, "吴英", mask(waiting.id_number)],
    ]
    assert [row[5:] for row in rows] == [
        [datetime.datetime(2020, 2, 29), "RJ-1", datetime.datetime(2020, 3, 1), "逾期办证"],
        [datetime.datetime(2020, 7, 15), None, None, "待办（未到期）"],  # due that very day
    ]
    assert sheet["D2"].data_type == "s"
    full = exports.run(
        exports.get("services.citizen_cards"), users["clerk_wenti"], {"day": "2020-07-15"}, full_ids=True
    )
    values = [cell.value for row in openpyxl.load_workbook(full.file).active.iter_rows() for cell in row]
    assert late.id_number in values and other.id_number not in values
