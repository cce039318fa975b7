package dev.keyward.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed command line: command words, and options that may stand before or after them. An
 * option takes a value ({@code --out DIR} or {@code --out=DIR}) unless it is a flag.
 */
final class Args {
    private final List<String> words;
    private final Map<String, List<String>> options;

    private Args(List<String> words, Map<String, List<String>> options) {
        this.words = words;
        this.options = options;
    }

    /**
     * Parses arguments.
     *
     * @param argv the arguments
     * @param valued the options that take a value (with their dashes)
     * @param flags the options that take none
     * @param aliases short names mapped to long ones, for example {@code -d} to {@code --domain}
     */
    static Args parse(String[] argv, Set<String> valued, Set<String> flags, Map<String, String> aliases)
            throws UsageException {
        List<String> words = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("-") || arg.equals("-")) {
                words.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            name = aliases.getOrDefault(name, name);
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option " + name + " takes no value");
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    value = argv[++i];
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option " + name);
            }
        }
        return new Args(words, options);
    }

    List<String> words() {
        return words;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    Optional<String> value(String name) throws UsageException {
        List<String> values = options.get(name);
        if (values == null) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new UsageException("option " + name + " given more than once");
        }
        return Optional.of(values.get(0));
    }

    List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    Optional<Integer> intValue(String name, int min, int max) throws UsageException {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new UsageException(name + " must be between " + min + " and " + max);
            }
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, was: " + v.get());
        }
    }
}
