package dev.steward.skills;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a script with its own interpreter without running it: {@code bash -n}, Python's {@code compile()} (what
 * py_compile does, without writing a .pyc into the skill), {@code node --check}. Interpreters are looked for where
 * the sandbox sees them, so a script that passes here can run there.
 */
final class SyntaxCheck {
    static final List<String> SANDBOX_PATH = List.of("/usr/local/bin", "/usr/bin", "/bin");
    private static final int TIMEOUT_SECONDS = 20;
    private static final String PYTHON_PARSE = "import sys\n"
            + "try:\n    compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec', dont_inherit=True)\n"
            + "except SyntaxError as e:\n    print(f'{e.lineno or 0}:{e.msg}'); sys.exit(1)\n";
    private static final Pattern BASH_LINE = Pattern.compile("line (\\d+): (.*)");
    private static final Pattern NODE_LINE = Pattern.compile(":(\\d+)\\s*$", Pattern.MULTILINE);

    private SyntaxCheck() {}

    /** The interpreter's path as the sandbox sees it, if installed. */
    static Optional<Path> interpreter(String name) {
        return SANDBOX_PATH.stream().map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    /** A finding when the script does not parse or cannot be checked; empty when it parses. */
    static Optional<Finding> check(Path script, String file, ScriptScan.Language language) {
        Optional<Path> interpreter = interpreter(language.interpreter);
        if (interpreter.isEmpty()) {
            return Optional.of(Finding.of(Rule.INTERPRETER_MISSING, file, 0, language.interpreter + " is not installed, "
                    + "so " + file + " was not syntax-checked and cannot run; install " + language.interpreter
                    + " (for example 'sudo apt-get install " + (language == ScriptScan.Language.NODE ? "nodejs"
                    : language.interpreter) + "')"));
        }
        String bin = interpreter.get().toString();
        List<String> command = switch (language) {
            case SHELL -> List.of(bin, "-n", script.toString());
            case PYTHON -> List.of(bin, "-I", "-c", PYTHON_PARSE, script.toString());
            case NODE -> List.of(bin, "--check", script.toString());
        };
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readNBytes(8192);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of(Finding.of(Rule.SYNTAX, file, 0, language.interpreter + " took more than "
                        + TIMEOUT_SECONDS + " s to parse " + file + "; make it smaller"));
            }
            if (process.exitValue() == 0) {
                return Optional.empty();
            }
            return Optional.of(syntaxError(file, language, new String(output, StandardCharsets.UTF_8).strip()));
        } catch (IOException e) {
            return Optional.of(Finding.of(Rule.INTERPRETER_MISSING, file, 0, "cannot start " + bin + " to check "
                    + file + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(Finding.of(Rule.SYNTAX, file, 0, "the syntax check was interrupted"));
        }
    }

    private static Finding syntaxError(String file, ScriptScan.Language language, String output) {
        int line = 0;
        String message = output;
        switch (language) {
            case SHELL -> {
                Matcher m = BASH_LINE.matcher(output);
                if (m.find()) {
                    line = Integer.parseInt(m.group(1));
                    message = m.group(2);
                }
            }
            case PYTHON -> {
                int colon = output.indexOf(':');
                if (colon > 0 && output.substring(0, colon).chars().allMatch(Character::isDigit)) {
                    line = Integer.parseInt(output.substring(0, colon));
                    message = output.substring(colon + 1);
                }
            }
            case NODE -> {
                Matcher m = NODE_LINE.matcher(output);
                if (m.find()) {
                    line = Integer.parseInt(m.group(1));
                }
                message = output.lines().filter(l -> l.startsWith("SyntaxError")).findFirst().orElse(output);
            }
        }
        return Finding.of(Rule.SYNTAX, file, line, language.interpreter + " cannot parse it: " + message.strip());
    }
}
