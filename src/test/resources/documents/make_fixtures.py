#!/usr/bin/python3
"""Makes the document fixtures with software other than Steward: python-docx, openpyxl and reportlab
(Debian: apt-get install python3-docx python3-openpyxl python3-reportlab). Run it here; commit its output."""
import csv
import docx
import openpyxl
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

d = docx.Document()
d.add_heading("Quarterly report", level=1)
d.add_paragraph("Sales grew in every region this quarter.")
d.add_heading("Regions", level=2)
t = d.add_table(rows=3, cols=3)
for r, row in enumerate([["Region", "Q1", "Q2"], ["North", "120", "140"], ["South", "90", "115"]]):
    for c, value in enumerate(row):
        t.cell(r, c).text = value
d.add_paragraph("Hire two people in the South", style="List Bullet")
d.add_paragraph("Open the Lyon office", style="List Bullet")
d.save("report.docx")

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Invoices"
ws.append(["Customer", "Amount", "Paid"])
ws.append(["Acme", 1200.5, True])
ws.append(["Globex", 300, False])
ws["B4"] = "=SUM(B2:B3)"
wb.create_sheet("Notes").append(["Call Globex on Monday"])
wb.save("invoices.xlsx")

styles = getSampleStyleSheet()
pdf = SimpleDocTemplate("contract.pdf", pagesize=A4)
table = Table([["Item", "Price"], ["Design", "800 EUR"], ["Build", "2400 EUR"]])
table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
pdf.build([Paragraph("Service contract", styles["Title"]),
           Paragraph("The supplier delivers the website by 31 March.", styles["Normal"]), Spacer(1, 12), table])

with open("contacts.csv", "w", newline="") as f:
    csv.writer(f).writerows([["name", "email"], ["Ann", "ann@example.org"], ["Bob, Jr.", "bob@example.org"]])
