import datetime
import io

import openpyxl

from settlements.xlsx_writer import DATE, GENERAL, TEXT, SheetColumn, XlsxSheetWriter

COLUMNS = [SheetColumn("身份证号", 22, TEXT), SheetColumn("姓名", 10, GENERAL), SheetColumn("入住日期", 12, DATE)]


def written(rows):
    output = io.BytesIO()
    with XlsxSheetWriter(output, "人员台账", COLUMNS) as sheet:
        for row in rows:
            sheet.write_row(row)
    output.seek(0)
    return openpyxl.load_workbook(output)


def test_values_read_back_exactly_with_their_formats():
    workbook = written(
        [
            ["522632198503120017", "杨明", datetime.date(2019, 5, 1)],
            ["52263219900101123X", 'A&B <吴> "秀"', None],
            ["000123", "  前后空格 ", datetime.date(2020, 2, 29)],
            [None, "控\x01制\x1f字符", ""],
        ]
    )
    sheet = workbook["人员台账"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("身份证号", "姓名", "入住日期")
    assert rows[1] == ("522632198503120017", "杨明", datetime.datetime(2019, 5, 1))
    assert rows[2] == ("52263219900101123X", 'A&B <吴> "秀"', None)
    assert rows[3] == ("000123", "  前后空格 ", datetime.datetime(2020, 2, 29))
    assert rows[4] == (None, "控制字符", None)
    assert sheet["A2"].number_format == "@" and sheet["A2"].data_type == "s"
    assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 22
    assert sheet["A1"].font.b


def test_an_empty_sheet_has_its_header():
    assert list(written([])["人员台账"].iter_rows(values_only=True)) == [("身份证号", "姓名", "入住日期")]
