package dev.keyward.acme.testkit;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A JUnit 5 extension that runs one {@link PebbleServer} per test class: started before all tests of
 * the class and closed after them. Test constructors, lifecycle methods and test methods may declare a
 * {@link PebbleServer} parameter to receive it; {@code @Nested} classes share their outer class's
 * server.
 *
 * <pre>{@code
 * @RegisterExtension
 * static PebbleExtension pebble = PebbleExtension.builder()
 *         .server(PebbleServer.builder().nonceRejectPercent(50))
 *         .build();
 * }</pre>
 *
 * <p>or, with the default configuration, {@code @ExtendWith(PebbleExtension.class)}. Register it on a
 * {@code static} field: on an instance field JUnit calls no before-all callback. When Pebble is not
 * installed, the tests fail with the command that installs it; they are never skipped. A test (or a
 * {@code @BeforeAll}/{@code @BeforeEach} method) that fails with a timeout first prints a thread dump
 * and Pebble's state to standard error ({@link TimeoutDiagnostics}).
 */
public final class PebbleExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PebbleExtension.class);
    private static final String SERVER = "server";

    private final PebbleSettings settings;
    private volatile PebbleServer server;

    /** Creates an extension with the default {@link PebbleServer} configuration. */
    public PebbleExtension() {
        this(PebbleServer.builder().settings());
    }

    private PebbleExtension(PebbleSettings settings) {
        this.settings = settings;
    }

    /**
     * Returns a builder of an extension, by default with the default {@link PebbleServer} configuration.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The server of the test class that runs now.
     *
     * @return the running server
     * @throws IllegalStateException outside the test class's lifetime
     */
    public PebbleServer server() {
        PebbleServer current = server;
        if (current == null) {
            throw new IllegalStateException("Pebble runs only while the test class runs; register the"
                    + " extension on a static field");
        }
        return current;
    }

    /** Starts the server of this test class unless an enclosing class already runs one. */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getStore(NAMESPACE).get(SERVER, PebbleServer.class) != null) {
            return;
        }
        PebbleServer started = PebbleServer.of(settings).start();
        context.getStore(NAMESPACE).put(SERVER, started);
        server = started;
    }

    /** Closes the server this test class started, if it started one. */
    @Override
    public void afterAll(ExtensionContext context) {
        PebbleServer started = context.getStore(NAMESPACE).remove(SERVER, PebbleServer.class);
        if (started != null) {
            if (server == started) {
                server = null;
            }
            started.close();
        }
    }

    /** Supports parameters of type {@link PebbleServer}. */
    /**
     * A test that fails with a timeout prints a thread dump and Pebble's state first (see
     * {@link TimeoutDiagnostics}); the failure stands.
     *
     * @param context the test
     * @param failure why it failed
     * @throws Throwable the failure, always
     */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        new TimeoutDiagnostics().handleTestExecutionException(context, failure);
    }

    /**
     * A {@code @BeforeAll} method that fails with a timeout prints the same diagnostics.
     *
     * @param context the test class
     * @param failure why it failed
     * @throws Throwable the failure, always
     */
    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        new TimeoutDiagnostics().handleBeforeAllMethodExecutionException(context, failure);
    }

    /**
     * A {@code @BeforeEach} method that fails with a timeout prints the same diagnostics.
     *
     * @param context the test
     * @param failure why it failed
     * @throws Throwable the failure, always
     */
    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        new TimeoutDiagnostics().handleBeforeEachMethodExecutionException(context, failure);
    }

    /** The Pebble this extension runs for the test's class (or an enclosing one), or null. */
    static PebbleServer serverOf(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(SERVER, PebbleServer.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == PebbleServer.class;
    }

    /** Resolves the server of the current test class. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        PebbleServer current = extensionContext.getStore(NAMESPACE).get(SERVER, PebbleServer.class);
        if (current == null) {
            throw new ParameterResolutionException("no Pebble runs for " + extensionContext.getDisplayName()
                    + ": register PebbleExtension on a static field or with @ExtendWith on the class");
        }
        return current;
    }

    /** Configures a {@link PebbleExtension}. */
    public static final class Builder {

        private PebbleSettings settings = PebbleServer.builder().settings();

        private Builder() {
        }

        /**
         * Uses the configuration {@code serverBuilder} holds now for each server the extension starts.
         * Later changes to {@code serverBuilder} have no effect. Default: {@code PebbleServer.builder()}.
         *
         * @param serverBuilder the server configuration
         * @return this builder
         */
        public Builder server(PebbleServer.Builder serverBuilder) {
            this.settings = Objects.requireNonNull(serverBuilder, "serverBuilder").settings();
            return this;
        }

        /**
         * Returns the extension.
         *
         * @return a new extension
         */
        public PebbleExtension build() {
            return new PebbleExtension(settings);
        }
    }
}
