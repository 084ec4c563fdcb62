package dev.steward.skills;

import java.util.Locale;

/** The named rules of validation; docs/skills.md lists them with what each catches. */
public enum Rule {
    FRONT_MATTER(Finding.Severity.ERROR, "SKILL.md starts with YAML front matter between '---' lines"),
    NAME(Finding.Severity.ERROR, "lower-case letters, digits and single hyphens, at most 64, equal to the folder"),
    DESCRIPTION(Finding.Severity.ERROR, "a non-empty string of at most 1024 characters"),
    FIELD_TYPE(Finding.Severity.ERROR, "license and compatibility are strings, metadata a map, allowed-tools a list"),
    UNKNOWN_FIELD(Finding.Severity.WARNING, "a field the format does not define; kept as written"),
    PERMISSION(Finding.Severity.ERROR, "Steward's metadata keys (steward-network, …) have valid values"),
    LINK(Finding.Severity.ERROR, "no symbolic link leads out of the skill folder"),
    SYNTAX(Finding.Severity.ERROR, "scripts parse (bash -n, python3 ast, node --check)"),
    INTERPRETER_MISSING(Finding.Severity.WARNING, "the interpreter a script needs is installed"),
    PIPE_TO_SHELL(Finding.Severity.ERROR, "no download piped into a shell or interpreter"),
    CREDENTIAL_READ(Finding.Severity.ERROR, "no reading of ~/.ssh, ~/.aws, browser profiles, /etc/shadow, keyrings"),
    ENV_DUMP(Finding.Severity.ERROR, "no dumping of the whole environment"),
    UNDECLARED_NETWORK(Finding.Severity.ERROR, "network use only when metadata declares steward-network"),
    UNDECLARED_PROCESS(Finding.Severity.ERROR, "starting processes only when metadata declares steward-processes"),
    OBFUSCATION(Finding.Severity.ERROR, "no decoded-then-executed strings, no dynamic imports of forbidden modules"),
    WRITE_OUTSIDE_WORKSPACE(Finding.Severity.ERROR, "writes go to the workspace (the current folder) only");

    private final Finding.Severity severity;
    private final String what;

    Rule(Finding.Severity severity, String what) {
        this.severity = severity;
        this.what = what;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Finding.Severity severity() {
        return severity;
    }

    /** What the rule asks for, in one line. */
    public String what() {
        return what;
    }
}
