package dev.steward.integrations.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.integrations.common.WorkspacePaths;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents written by other software read right: the fixtures in src/test/resources/documents were made by
 * python-docx, openpyxl and reportlab (make_fixtures.py there says how).
 */
class DocumentTextTest {
    @TempDir
    Path home;

    ActionGate gate;
    Path workspace;

    private static Path fixture(String name) {
        try {
            return Path.of(DocumentTextTest.class.getResource("/documents/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void gate() throws Exception {
        workspace = Files.createDirectories(home.resolve("workspace"));
        gate = new ActionGate(new Tools(DocumentTools.create(new WorkspacePaths(workspace))), ActionsConfig.defaults(),
                Database.open(home, DatabaseConfig.embedded()), Clock.systemUTC());
    }

    @Test
    void aWordDocumentFromPythonDocxKeepsItsHeadingsTableAndList() {
        String text = DocumentText.read(fixture("report.docx"));

        assertThat(text).startsWith("# Quarterly report\n\nSales grew in every region this quarter.\n\n## Regions\n\n")
                .contains("| Region | Q1 | Q2 |\n| --- | --- | --- |\n| North | 120 | 140 |\n| South | 90 | 115 |\n")
                .contains("- Hire two people in the South\n- Open the Lyon office");
    }

    @Test
    void aWorkbookFromOpenpyxlIsReadSheetBySheetWithItsFormulaComputed() {
        String text = DocumentText.read(fixture("invoices.xlsx"));

        assertThat(text).contains("## Invoices", "| Customer | Amount | Paid |", "| Acme | 1200.5 | TRUE |",
                "| Globex | 300 | FALSE |", "| | 1500.5 | |", "## Notes", "| Call Globex on Monday |");
    }

    @Test
    void aPdfFromReportlabKeepsItsTitleAsAHeadingAndItsTableRowsInOrder() {
        String text = DocumentText.read(fixture("contract.pdf"));

        assertThat(text).startsWith("# Service contract\n")
                .contains("The supplier delivers the website by 31 March.")
                .containsSubsequence("Item Price", "Design 800 EUR", "Build 2400 EUR");
    }

    @Test
    void csvWithQuotedCommasBecomesATable() {
        assertThat(DocumentText.read(fixture("contacts.csv")))
                .isEqualTo("| name | email |\n| --- | --- |\n| Ann | ann@example.org |\n| Bob, Jr. | bob@example.org |\n");
    }

    @Test
    void slidesAreReadOneByOneWithTheirTitles() throws Exception {
        // No slide-making software from outside is at hand here: this deck is made with POI itself.
        Path deck = workspace.resolve("deck.pptx");
        try (XMLSlideShow show = new XMLSlideShow(); OutputStream out = Files.newOutputStream(deck)) {
            XSLFSlide slide = show.createSlide();
            XSLFTextBox box = slide.createTextBox();
            box.setText("Roadmap 2027");
            show.createSlide().createTextBox().setText("Ship the mobile app");
            show.write(out);
        }
        assertThat(DocumentText.read(deck)).contains("## Slide 1", "Roadmap 2027", "## Slide 2", "Ship the mobile app");
    }

    @Test
    void aCorruptOrUnknownFileIsRefusedWithTheFileAndTheFix() throws Exception {
        Path broken = workspace.resolve("broken.docx");
        try (InputStream in = Files.newInputStream(fixture("report.docx"))) {
            Files.write(broken, java.util.Arrays.copyOf(in.readAllBytes(), 2000));
        }
        assertThatThrownBy(() -> DocumentText.read(broken)).isInstanceOf(DocumentException.class)
                .hasMessageContaining("broken.docx cannot be read as .docx").hasMessageContaining("save it again");
        Files.writeString(workspace.resolve("x.odt"), "?");
        assertThatThrownBy(() -> DocumentText.read(workspace.resolve("x.odt"))).hasMessageContaining("readable are .docx");
    }

    @Test
    void docsWriteMakesADocxAndAnXlsxThatDocsReadGivesBackAndAFailedPlanRestoresTheOldFile() throws Exception {
        ToolContext me = new ToolContext("local", null);
        ActionGate.Outcome docx = gate.call("docs.write", Json.object().put("path", "out/plan.docx").put("markdown",
                "# Plan\n\nFirst we build.\n\n## Costs\n\n| Item | EUR |\n| --- | --- |\n| Build | 2400 |\n\n- hire\n- ship\n"), me);
        assertThat(docx.ok()).as("%s", docx.message()).isTrue();
        assertThat(DocumentText.read(workspace.resolve("out/plan.docx"))).startsWith("# Plan\n\nFirst we build.\n\n## Costs\n")
                .contains("| Item | EUR |\n| --- | --- |\n| Build | 2400 |", "- • hire");

        ActionGate.Outcome xlsx = gate.call("docs.write", Json.parse(
                "{\"path\": \"book.xlsx\", \"sheets\": {\"Q1\": [[\"Name\", \"Amount\"], [\"Acme\", 12.5], [\"=1+1\", true]]}}"), me);
        assertThat(xlsx.ok()).as("%s", xlsx.message()).isTrue();
        assertThat(gate.call("docs.read", Json.object().put("path", "book.xlsx"), me).asJson().path("text").asText())
                .contains("## Q1", "| Acme | 12.5 |", "| =1+1 | TRUE |");

        Files.writeString(workspace.resolve("notes.md"), "old notes");
        ActionGate.Plan plan = gate.runAll(List.of(
                new ActionGate.Step("docs.write", Json.object().put("path", "notes.md").put("markdown", "new notes")),
                new ActionGate.Step("docs.read", Json.object().put("path", "missing.pdf"))), me);
        assertThat(plan.rolledBack()).isTrue();
        assertThat(Files.readString(workspace.resolve("notes.md"))).isEqualTo("old notes");

        ActionGate.Outcome escape = gate.call("docs.read", Json.object().put("path", "../steward.db"), me);
        assertThat(escape.message()).contains("leads out of the workspace");
    }
}
