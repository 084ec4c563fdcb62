package dev.steward.skills;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Real skills from anthropics/skills (copied with their licenses, see the README beside them): their names and
 * descriptions parse exactly, instruction-only skills install as they are, and a script skill that starts processes
 * and uses the network without declaring it is refused with findings naming its files.
 */
class AnthropicSkillsTest {
    static Path real(String name) {
        try {
            return Path.of(AnthropicSkillsTest.class.getResource("anthropic/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anInstructionOnlySkillIsInstallableAsItIs() {
        Validation v = SkillValidator.validate(real("brand-guidelines"));
        assertThat(v.name()).isEqualTo("brand-guidelines");
        assertThat(v.description()).isEqualTo("Applies Anthropic's official brand colors and typography to any sort "
                + "of artifact that may benefit from having Anthropic's look-and-feel. Use it when brand colors or "
                + "style guidelines, visual formatting, or company design standards apply.");
        assertThat(v.installable()).isTrue();
        assertThat(v.findings()).isEmpty();
    }

    @Test
    void aBlockScalarDescriptionLongerThanTheFormatAllowsIsReadWhole() {
        Validation v = SkillValidator.validate(real("claude-api"));
        assertThat(v.name()).isEqualTo("claude-api");
        assertThat(v.description()).hasSize(1068)
                .startsWith("Reference for the Claude API / Anthropic SDK — model ids, pricing,")
                .contains("model migration.\nTRIGGER — read BEFORE opening the target file; don't skip because it "
                        + "\"looks like a one-liner\"")
                .endsWith("(run this grep FIRST if no provider named — don't Read the file).");
        assertThat(v.installable()).isTrue();
        assertThat(v.findings()).extracting(Finding::rule).containsExactly("description");
    }

    @Test
    void aScriptSkillWithQuotesInItsDescriptionWhoseScriptsParseIsInstallable() {
        Validation v = SkillValidator.validate(real("slack-gif-creator"));
        assertThat(v.description()).endsWith("like \"make me a GIF of X doing Y for Slack.\"");
        assertThat(v.findings()).isEmpty();
        assertThat(v.installable()).isTrue();
    }

    @Test
    void aScriptSkillThatStartsServersWithoutDeclaringItIsRefusedFileByFile() {
        Validation v = SkillValidator.validate(real("webapp-testing"));
        assertThat(v.name()).isEqualTo("webapp-testing");
        assertThat(v.installable()).isFalse();
        assertThat(v.findings()).extracting(Finding::printed).contains(
                "scripts/with_server.py:17: undeclared-process: starts processes; declare it with metadata "
                        + "steward-processes: \"true\"",
                "scripts/with_server.py:18: undeclared-network: uses the network; declare it with metadata "
                        + "steward-network: \"true\"");
        assertThat(v.findings()).filteredOn(f -> f.rule().equals("write-outside-workspace"))
                .extracting(Finding::file, Finding::line).containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "examples/console_logging.py", 31));
    }
}
