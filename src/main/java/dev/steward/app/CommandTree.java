package dev.steward.app;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The picocli command tree for one command line. Building the model of every command from its annotations is a
 * quarter of an offline {@code steward ask hello} (docs/benchmarks.md), so a line that names a command, like
 * {@code steward ask …} or {@code steward --debug tasks list}, gets the root and that one command only. Anything else
 * (no command, {@code --help}, {@code help}, a mistyped name that needs its "did you mean") gets the whole tree. The
 * list of commands stays the one in {@link StewardCommand}'s annotation.
 */
final class CommandTree {
    private CommandTree() {}

    static CommandLine of(StewardCommand root, String[] args) {
        return invokedCommand(args).map(command -> rootOnly(root).addSubcommand(new CommandLine(command)))
                .orElseGet(() -> new CommandLine(root));
    }

    /** The command a line names, when the words before it are only options every command inherits ({@code --debug}). */
    static Optional<Class<?>> invokedCommand(String[] args) {
        int first = 0;
        while (first < args.length && inheritedFlag(args[first])) {
            first++;
        }
        if (first == args.length) {
            return Optional.empty();
        }
        String name = args[first];
        return Arrays.stream(StewardCommand.class.getAnnotation(Command.class).subcommands())
                .filter(command -> command != CommandLine.HelpCommand.class) // `help X` needs X's model
                .filter(command -> names(command.getAnnotation(Command.class)).anyMatch(name::equals))
                .findFirst();
    }

    private static java.util.stream.Stream<String> names(Command command) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(command.name()),
                Arrays.stream(command.aliases()));
    }

    private static boolean inheritedFlag(String arg) {
        return rootOptions().anyMatch(option -> option.scope() == CommandLine.ScopeType.INHERIT
                && option.arity().isEmpty() && Arrays.asList(option.names()).contains(arg));
    }

    /**
     * The root command as its annotations make it, minus its subcommands: the same name, the standard help options
     * and its own options (inherited ones reach the subcommand added to it, as in the whole tree).
     */
    private static CommandLine rootOnly(StewardCommand root) {
        Command annotation = StewardCommand.class.getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(root).name(annotation.name())
                .mixinStandardHelpOptions(annotation.mixinStandardHelpOptions());
        spec.versionProvider(new StewardCommand.VersionProvider());
        spec.usageMessage().description(annotation.description()).footer(annotation.footer());
        rootOptions().forEach(option -> spec.addOption(OptionSpec.builder(option.names())
                .description(option.description()).scopeType(option.scope()).hidden(option.hidden())
                .type(boolean.class).arity("0").build()));
        root.spec = spec; // what @Spec would inject
        return new CommandLine(spec);
    }

    /** The root's own options. Each is a flag that nothing reads back (Main reads --debug from the line itself). */
    private static java.util.stream.Stream<Option> rootOptions() {
        return Arrays.stream(StewardCommand.class.getDeclaredFields()).map(CommandTree::option)
                .flatMap(Optional::stream);
    }

    private static Optional<Option> option(Field field) {
        return Optional.ofNullable(field.getAnnotation(Option.class)).filter(o -> {
            if (field.getType() != boolean.class) {
                throw new IllegalStateException("CommandTree copies only flags onto the root; " + field.getName()
                        + " is a " + field.getType() + ": teach it that type");
            }
            return true;
        });
    }
}
