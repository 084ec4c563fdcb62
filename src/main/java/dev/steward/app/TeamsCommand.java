package dev.steward.app;

import dev.steward.identity.Accounts;
import dev.steward.memory.Teams;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "teams", mixinStandardHelpOptions = true,
        description = {"Teams and their members. A fact stored with scope team:NAME (steward memory add --scope, or"
                + " \"scope\" in POST /api/memory) is seen by the team's members and no one else."},
        subcommands = {TeamsCommand.Add.class, TeamsCommand.ListTeams.class, TeamsCommand.Remove.class})
final class TeamsCommand extends CommandGroup {

    Teams teams() {
        return new Teams(parent.steward().database(), Clock.systemUTC());
    }

    Accounts accounts() {
        return parent.steward().accounts();
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a team with its members.",
            footer = {"", "Example:  steward teams add sales --members alice,bob"})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        TeamsCommand teams;

        @Parameters(paramLabel = "NAME", description = "Up to 27 lower-case letters, digits, '-' or '_'.")
        String name;

        @Option(names = "--members", split = ",", paramLabel = "USER", description = "User names, comma-separated.")
        List<String> members = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> ids = new ArrayList<>();
            for (String member : members) {
                ids.add(teams.accounts().findUser(member).orElseThrow(() -> new UsageException("no user '" + member
                        + "' to add to team '" + name + "'; see the names with: steward users list")).id());
            }
            Teams.Team team = UsersCommand.usage(() -> teams.teams().add(name, ids));
            System.out.println("Added team " + team.name() + " with " + members.size() + " member"
                    + (members.size() == 1 ? "" : "s") + "; its shared scope is " + Teams.space(team.name()) + ".");
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The teams and their members.")
    static final class ListTeams implements Callable<Integer> {
        @ParentCommand
        TeamsCommand teams;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            List<Teams.Team> all = teams.teams().list();
            if (output.json) {
                System.out.println(Json.pretty(all));
                return Main.OK;
            }
            if (all.isEmpty()) {
                System.out.println("No teams yet. Add one: steward teams add sales --members alice,bob");
            }
            for (Teams.Team team : all) {
                System.out.println(team.name() + ": " + String.join(", ", team.members().stream()
                        .map(id -> teams.accounts().userById(id).map(Accounts.User::name).orElse(id)).sorted().toList()));
            }
            return Main.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a team and its shared memory.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        TeamsCommand teams;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            if (!teams.teams().remove(name)) {
                throw new UsageException("no team '" + name + "'; see them with: steward teams list");
            }
            teams.parent.steward().memory().clear(Teams.space(name.strip().toLowerCase(java.util.Locale.ROOT)));
            System.out.println("Removed team " + name.strip() + " and its shared memory.");
            return Main.OK;
        }
    }
}
