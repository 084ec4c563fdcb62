package dev.steward.app;

import dev.steward.actions.ToolException;
import dev.steward.config.ConnectionsConfig;
import dev.steward.config.StewardConfig;
import dev.steward.support.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The outside services of the integration tools (connections: in steward.yaml), checked as the tools will use them. */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Check the connections in steward.yaml (email, calendar, payments).",
        subcommands = ConnectCommand.Test.class)
final class ConnectCommand extends CommandGroup {

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Log in to a connection as its tools will, and say what is wrong and how to fix it.",
                    "NAME: email, calendar or payments."},
            footer = {"", "Exit codes: 0 it works, 1 it does not (the message says why), 2 no such connection."})
    static final class Test implements Callable<Integer> {
        @ParentCommand
        ConnectCommand connect;

        @Parameters(paramLabel = "NAME", description = "email, calendar or payments")
        String name;

        @Override
        public Integer call() {
            StewardConfig config = connect.parent.steward().config();
            if (!config.connections().names().contains(name)) {
                throw new UsageException("no connection named '" + name + "' in " + config.file()
                        + (config.connections().names().isEmpty() ? "; add a 'connections:' section (see docs/integrations.md)"
                        : "; configured: " + String.join(", ", config.connections().names())));
            }
            try {
                System.out.println(test(config.connections(), name));
                return Main.OK;
            } catch (ToolException e) {
                System.err.println("steward: " + e.getMessage());
                return Main.TASK_FAILED;
            }
        }
    }

    /** Tries one connection; its success in words, or a ToolException naming the connection and the fix. */
    static String test(ConnectionsConfig connections, String name) {
        return switch (name) {
            case "email" -> dev.steward.integrations.email.EmailTools.test(connections.email());
            case "calendar" -> dev.steward.integrations.calendar.CalendarTools.test(connections.calendar());
            case "payments" -> dev.steward.integrations.payments.PaymentTools.test(connections.payments());
            default -> throw new UsageException("no connection named '" + name + "'");
        };
    }

    /** One doctor line per configured connection. */
    static List<DoctorCommand.Check> doctorChecks(StewardConfig config) {
        List<DoctorCommand.Check> checks = new ArrayList<>();
        for (String name : config.connections().names()) {
            try {
                checks.add(new DoctorCommand.Check(DoctorCommand.Level.OK, name, test(config.connections(), name), null));
            } catch (RuntimeException e) {
                String message = e.getMessage();
                int dash = message.lastIndexOf(" — ");
                checks.add(new DoctorCommand.Check(DoctorCommand.Level.FAIL, name,
                        dash < 0 ? message : message.substring(0, dash), dash < 0 ? "steward connect test " + name
                        : message.substring(dash + 3)));
            }
        }
        return checks;
    }
}
