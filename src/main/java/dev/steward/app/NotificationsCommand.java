package dev.steward.app;

import dev.steward.schedule.Notification;
import dev.steward.support.Json;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "notifications", mixinStandardHelpOptions = true,
        description = "Your inbox: results of schedules, crews that need you, failed deliveries to your channels.",
        subcommands = {NotificationsCommand.ListNotifications.class})
final class NotificationsCommand extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The newest notifications first.")
    static final class ListNotifications implements Callable<Integer> {
        @ParentCommand
        NotificationsCommand group;

        @Option(names = "--limit", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--unread", description = "Only those not yet read.")
        boolean unread;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            List<Notification> all = group.parent.steward().automation().notifications()
                    .list(Steward.LOCAL_USER, CommandGroup.limit(limit), unread);
            if (output.json) {
                System.out.println(Json.pretty(all));
                return Main.OK;
            }
            if (all.isEmpty()) {
                System.out.println("No notifications.");
            }
            for (Notification n : all) {
                System.out.printf("%s  %s %-10s  %s%n", Output.time(n.createdAt()), n.readAt() == null ? "•" : " ",
                        n.kind(), n.title());
                for (Notification.Delivery d : n.deliveries()) {
                    if (!d.status().equals("sent")) {
                        System.out.println("      " + d.channel() + ": " + d.status() + " after " + d.attempts()
                                + " attempts" + (d.lastError() == null ? "" : " — " + d.lastError()));
                    }
                }
            }
            return Main.OK;
        }
    }
}
