package dev.steward.skills;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SKILL.md as people write it: the front matter's fields exactly, its mistakes named by field and rule. */
class SkillManifestTest {

    static SkillManifest.Parsed parse(String frontMatter) {
        return SkillManifest.parse("---\n" + frontMatter + "\n---\n\n# Body\n\nText.\n", "pdf-tools");
    }

    static List<String> rules(SkillManifest.Parsed parsed) {
        return parsed.findings().stream().map(Finding::rule).toList();
    }

    @Test
    void readsPlainQuotedAndBlockScalarDescriptionsExactly() {
        assertThat(parse("name: pdf-tools\ndescription: Fill PDF forms: text, checkboxes.").findings()).isNotEmpty();
        assertThat(parse("name: pdf-tools\ndescription: \"Fill PDF forms: text, \\\"checkboxes\\\".\"").manifest()
                .description()).isEqualTo("Fill PDF forms: text, \"checkboxes\".");
        assertThat(parse("name: pdf-tools\ndescription: 'It''s for PDFs: forms.'").manifest().description())
                .isEqualTo("It's for PDFs: forms.");
        assertThat(parse("name: pdf-tools\ndescription: |-\n  Line one.\n  Line two.").manifest().description())
                .isEqualTo("Line one.\nLine two.");
        assertThat(parse("name: pdf-tools\ndescription: >\n  Folded\n  together.\n").manifest().description())
                .isEqualTo("Folded together.\n");
    }

    @Test
    void aColonInAnUnquotedDescriptionIsAYamlErrorThatSaysToQuoteIt() {
        SkillManifest.Parsed parsed = parse("name: pdf-tools\ndescription: Fill PDF forms: text, checkboxes.");
        assertThat(parsed.manifest()).isNull();
        assertThat(parsed.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("front-matter");
            assertThat(f.file()).isEqualTo("SKILL.md");
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.message()).contains("quote a value");
        });
    }

    @Test
    void keepsOptionalAndUnknownFieldsAndTheBody() {
        SkillManifest.Parsed parsed = parse("""
                name: pdf-tools
                description: Works on PDFs.
                license: Apache-2.0
                compatibility: needs python3
                allowed-tools: Bash(python3:*) Read
                metadata:
                  author: someone
                  steward-network: "true"
                version: 2""");
        SkillManifest m = parsed.manifest();
        assertThat(m.license()).isEqualTo("Apache-2.0");
        assertThat(m.compatibility()).isEqualTo("needs python3");
        assertThat(m.allowedTools()).containsExactly("Bash(python3:*)", "Read");
        assertThat(m.metadata()).containsEntry("author", "someone").containsEntry("steward-network", "true");
        assertThat(m.extra()).containsOnlyKeys("version");
        assertThat(m.body()).isEqualTo("# Body\n\nText.");
        assertThat(parsed.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("unknown-field");
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.line()).isEqualTo(10);
        });
    }

    @Test
    void namesTheFieldAndTheRuleOfEachSchemaError() {
        assertThat(rules(parse("description: x"))).containsExactly("name");
        assertThat(rules(parse("name: PDF_Tools\ndescription: x"))).containsExactly("name");
        assertThat(rules(parse("name: pdf--tools\ndescription: x"))).containsExactly("name");
        assertThat(rules(parse("name: other-name\ndescription: x"))).containsExactly("name");
        assertThat(parse("name: other-name\ndescription: x").findings().getFirst().message())
                .contains("the folder is 'pdf-tools'");
        assertThat(rules(parse("name: " + "a".repeat(65) + "\ndescription: x"))).containsExactly("name");
        assertThat(rules(parse("name: pdf-tools"))).containsExactly("description");
        assertThat(rules(parse("name: pdf-tools\ndescription: \"  \""))).containsExactly("description");
        assertThat(rules(parse("name: pdf-tools\ndescription: [a, b]"))).containsExactly("description");
        assertThat(rules(parse("name: pdf-tools\ndescription: x\nmetadata: [1]"))).containsExactly("field-type");
        assertThat(rules(parse("name: pdf-tools\ndescription: x\nlicense: {a: 1}"))).containsExactly("field-type");
    }

    @Test
    void anOverlongDescriptionIsAWarningSoRealSkillsStillInstall() {
        SkillManifest.Parsed parsed = parse("name: pdf-tools\ndescription: " + "x".repeat(1025));
        assertThat(parsed.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("description");
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
        });
    }

    @Test
    void withoutFrontMatterTheFindingSaysWhatToWrite() {
        SkillManifest.Parsed none = SkillManifest.parse("# Just markdown\n", "x");
        assertThat(none.manifest()).isNull();
        assertThat(none.findings().getFirst().message()).contains("must start with a '---' line");
        assertThat(SkillManifest.parse("---\nname: x\n", "x").findings().getFirst().message())
                .contains("no closing '---'");
        assertThat(SkillManifest.parse("---\n- a\n- b\n---\n", "x").findings().getFirst().message())
                .contains("must be a map");
    }

    @Test
    void readsWindowsLineEndingsAndAByteOrderMark() {
        SkillManifest.Parsed parsed = SkillManifest.parse("\uFEFF---\r\nname: pdf-tools\r\ndescription: PDFs.\r\n---\r\nBody",
                "pdf-tools");
        assertThat(parsed.findings()).isEmpty();
        assertThat(parsed.manifest().description()).isEqualTo("PDFs.");
        assertThat(parsed.manifest().body()).isEqualTo("Body");
    }
}
