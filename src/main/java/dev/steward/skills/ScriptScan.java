package dev.steward.skills;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The static scan: each line of a script against patterns, per rule and language. It catches the plain ways of
 * doing what a skill must not do; what hides from it is still held by the sandbox (see docs/skills.md).
 */
final class ScriptScan {
    private ScriptScan() {}

    /** The language of a script, which decides its interpreter and the patterns that apply. */
    enum Language {
        SHELL("bash"), PYTHON("python3"), NODE("node");

        final String interpreter;

        Language(String interpreter) {
            this.interpreter = interpreter;
        }

        /** By extension, else by the {@code #!} line; null for a file that is not a script. */
        static Language of(String fileName, String firstLine) {
            String lower = fileName.toLowerCase(java.util.Locale.ROOT);
            if (lower.endsWith(".sh") || lower.endsWith(".bash")) {
                return SHELL;
            }
            if (lower.endsWith(".py")) {
                return PYTHON;
            }
            if (lower.endsWith(".js") || lower.endsWith(".mjs") || lower.endsWith(".cjs")) {
                return NODE;
            }
            if (firstLine != null && firstLine.startsWith("#!")) {
                if (firstLine.contains("python")) {
                    return PYTHON;
                }
                if (firstLine.contains("node")) {
                    return NODE;
                }
                if (firstLine.matches("#!.*\\b(ba|da|z)?sh\\b.*")) {
                    return SHELL;
                }
            }
            return null;
        }
    }

    private record Check(Rule rule, Pattern pattern, String message) {}

    private static Check check(Rule rule, String regex, String message) {
        return new Check(rule, Pattern.compile(regex), message);
    }

    private static final String DOWNLOAD = "\\b(curl|wget|fetch|Invoke-WebRequest|iwr)\\b";
    private static final String INTERPRETERS = "(sudo\\s+)?(sh|bash|zsh|dash|ksh|python[0-9.]*|perl|ruby|node|php)\\b";
    private static final String OUTSIDE = "(/(?!tmp/|tmp\\b|workspace\\b|dev/null|dev/std)|~|\\$HOME|\\.\\./)";

    private static final List<Check> EVERY_LANGUAGE = List.of(
            check(Rule.PIPE_TO_SHELL, DOWNLOAD + "[^|\\n]*\\|\\s*" + INTERPRETERS,
                    "a download is piped into an interpreter; ship the code in the skill instead"),
            check(Rule.PIPE_TO_SHELL, "\\b(sh|bash|zsh|python[0-9.]*)\\s+(-c\\s+)?[\"']?(\\$\\(|<\\(|`)\\s*" + DOWNLOAD,
                    "downloaded code is run by an interpreter; ship the code in the skill instead"),
            check(Rule.CREDENTIAL_READ, "(/|[\"']~?/?)\\.(ssh|aws|gnupg|netrc|git-credentials|docker/config\\.json|kube/config|"
                    + "password-store)\\b",
                    "reads credentials (~/.ssh, ~/.aws, ~/.gnupg, ~/.netrc…); a skill works only on the workspace"),
            check(Rule.CREDENTIAL_READ, "/etc/(g?shadow|sudoers|master\\.passwd)\\b|\\.mozilla/firefox|"
                    + "\\.config/(google-chrome|chromium|BraveSoftware|microsoft-edge)|Application Support/(Google|"
                    + "Firefox|BraveSoftware)|Login Data|key[34]\\.db|logins\\.json|\\.local/share/keyrings",
                    "reads passwords or browser profiles; a skill works only on the workspace"),
            check(Rule.ENV_DUMP, "/proc/(self|\\d+|\\$\\$)/environ",
                    "reads the whole environment of a process; read only the variables the skill needs"));

    private static final List<Check> SHELL = List.of(
            check(Rule.ENV_DUMP, "(^|[;&|`(]\\s*)(env|printenv|export\\s+-p|declare\\s+-x|set)\\s*($|[|>;&)`])",
                    "dumps the whole environment; read only the variables the skill needs"),
            check(Rule.UNDECLARED_NETWORK, "(^|[;&|`(]\\s*|\\s)(curl|wget|nc|ncat|netcat|ssh|scp|sftp|rsync|ftp|telnet|"
                    + "socat|dig|nslookup)\\s|/dev/(tcp|udp)/",
                    "uses the network; declare it with metadata steward-network: \"true\""),
            check(Rule.UNDECLARED_PROCESS, "\\b(nohup|setsid|disown|crontab|systemctl|service|pkill|killall)\\b|"
                    + "\\bkill\\s+-|[^&]&\\s*$", "starts or stops background processes; declare it with metadata "
                    + "steward-processes: \"true\""),
            check(Rule.OBFUSCATION, "(base64\\s+(-d|--decode|-D)|xxd\\s+-r|openssl\\s+(enc|base64)\\s+-d)[^|]*\\|\\s*"
                    + INTERPRETERS, "decodes text and runs it; write the commands plainly"),
            check(Rule.OBFUSCATION, "\\beval\\s+[\"']?\\$\\(.*\\b(base64|xxd|openssl|rev|tr)\\b",
                    "evaluates decoded text; write the commands plainly"),
            check(Rule.WRITE_OUTSIDE_WORKSPACE, "((^|[\\s\\d&])>>?|\\btee\\s+(-a\\s+)?)\\s*[\"']?" + OUTSIDE,
                    "writes outside the workspace; write to the current folder (the workspace) instead"),
            check(Rule.WRITE_OUTSIDE_WORKSPACE, "\\b(cp|mv|install|ln|touch|mkdir|rm|chmod|chown|dd)\\b[^|;&#]*\\s"
                    + "[\"']?(/(etc|usr|bin|sbin|lib|var|home|root|opt|boot|srv|sys)\\b|~|\\$HOME)",
                    "changes files outside the workspace; work in the current folder (the workspace) instead"));

    private static final String FORBIDDEN_MODULES = "(os|subprocess|socket|ctypes|pty|shutil|urllib|requests|http|"
            + "importlib|marshal|builtins)";

    private static final List<Check> PYTHON = List.of(
            check(Rule.ENV_DUMP, "os\\.environ\\.(items|keys|values)\\(|(print|dumps|dict|str|repr|list)\\(\\s*os\\.environ"
                    + "\\s*\\)|for\\s+\\w+(\\s*,\\s*\\w+)?\\s+in\\s+os\\.environ\\b|os\\.environ\\s*$",
                    "dumps the whole environment; read only the variables the skill needs (os.environ.get('NAME'))"),
            check(Rule.UNDECLARED_NETWORK, "^\\s*(import|from)\\s+(requests|urllib\\d?|http\\.client|httpx|aiohttp|socket|"
                    + "ftplib|smtplib|poplib|imaplib|telnetlib|paramiko|websocket|websockets)\\b|urlopen\\(",
                    "uses the network; declare it with metadata steward-network: \"true\""),
            check(Rule.UNDECLARED_PROCESS, "^\\s*(import|from)\\s+(subprocess|pty|multiprocessing)\\b|os\\.(system|popen|"
                    + "exec\\w*|spawn\\w*|fork|posix_spawn\\w*|kill)\\s*\\(",
                    "starts processes; declare it with metadata steward-processes: \"true\""),
            check(Rule.OBFUSCATION, "\\b(exec|eval|compile)\\s*\\(.*(b64decode|b32decode|a85decode|fromhex|unhexlify|"
                    + "decompress|rot13|codecs\\.decode|\\.decode\\(|marshal\\.loads|\\[::-1\\]|chr\\()",
                    "executes decoded text; write the code plainly"),
            check(Rule.OBFUSCATION, "__import__\\(\\s*(?![\"']" + "[\\w.]+[\"']\\s*\\))|__import__\\(\\s*[\"']" + FORBIDDEN_MODULES
                    + "[\"'.]|importlib\\.import_module\\(\\s*(?![\"'][\\w.]+[\"']\\s*\\))|getattr\\(\\s*__builtins__",
                    "imports a module by a computed or hidden name; import it plainly at the top"),
            check(Rule.WRITE_OUTSIDE_WORKSPACE, "open\\(\\s*[rfb]?[\"']" + OUTSIDE + "[^\"']*[\"']\\s*,\\s*[\"'][^\"']*[wax+]",
                    "writes outside the workspace; write to a path relative to the current folder"),
            check(Rule.WRITE_OUTSIDE_WORKSPACE, "(shutil\\.(copy\\w*|move|rmtree)|os\\.(remove|unlink|rename|replace|"
                    + "makedirs|mkdir|rmdir|chmod|symlink))\\(\\s*[rfb]?[\"']" + OUTSIDE,
                    "changes files outside the workspace; use paths relative to the current folder"));

    private static final List<Check> NODE = List.of(
            check(Rule.ENV_DUMP, "(JSON\\.stringify|console\\.\\w+|Object\\.(keys|entries|values|assign))\\(\\s*(\\{\\s*\\.\\.\\.)?"
                    + "process\\.env\\s*[,)}]|for\\s*\\(.*\\bin\\s+process\\.env\\s*\\)",
                    "dumps the whole environment; read only the variables the skill needs (process.env.NAME)"),
            check(Rule.UNDECLARED_NETWORK, "(require\\(|from\\s+|import\\()\\s*[\"'](node:)?(http|https|http2|net|dgram|tls|"
                    + "dns|axios|node-fetch|ws|undici)[\"']|\\bfetch\\s*\\(|XMLHttpRequest|new\\s+WebSocket",
                    "uses the network; declare it with metadata steward-network: \"true\""),
            check(Rule.UNDECLARED_PROCESS, "[\"'](node:)?(child_process|cluster|worker_threads)[\"']|process\\.binding\\(",
                    "starts processes; declare it with metadata steward-processes: \"true\""),
            check(Rule.OBFUSCATION, "(\\beval|new\\s+Function|\\bFunction)\\s*\\(.*(atob|Buffer\\.from|fromCharCode|"
                    + "unescape|decodeURIComponent|\\.reverse\\(\\))",
                    "executes decoded text; write the code plainly"),
            check(Rule.OBFUSCATION, "\\brequire\\(\\s*(?![\"'`][^\"'`$]+[\"'`]\\s*\\))|\\bimport\\(\\s*(?![\"'][^\"']+[\"']\\s*\\))",
                    "loads a module by a computed name; require it plainly"),
            check(Rule.WRITE_OUTSIDE_WORKSPACE, "(writeFile|appendFile|createWriteStream|mkdir|rm|rmdir|unlink|rename|"
                    + "copyFile)(Sync)?\\(\\s*[\"'`]" + OUTSIDE, "writes outside the workspace; use paths relative to "
                    + "the current folder"));

    /** The findings for one script; a declared permission turns its rule off. */
    static List<Finding> scan(String file, String text, Language language, Permissions permissions) {
        List<Check> checks = new ArrayList<>(EVERY_LANGUAGE);
        checks.addAll(switch (language) {
            case SHELL -> SHELL;
            case PYTHON -> PYTHON;
            case NODE -> NODE;
        });
        List<Finding> findings = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.startsWith("//") || trimmed.startsWith("*")) {
                continue;
            }
            for (Check check : checks) {
                if (check.rule() == Rule.UNDECLARED_NETWORK && permissions.network()
                        || check.rule() == Rule.UNDECLARED_PROCESS && permissions.processes()) {
                    continue;
                }
                if (check.pattern().matcher(line).find()) {
                    findings.add(Finding.of(check.rule(), file, i + 1, check.message()));
                    break;
                }
            }
        }
        return findings;
    }
}
