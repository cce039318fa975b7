package dev.keyward.examples.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A runnable subcommand: reaches the shared options and the output streams of the top command. */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private KeywardCommand top() {
        return (KeywardCommand) spec.root().userObject();
    }

    GlobalOptions global() {
        return top().global;
    }

    PrintStream out() {
        return top().out;
    }

    PrintStream err() {
        return top().err;
    }
}
