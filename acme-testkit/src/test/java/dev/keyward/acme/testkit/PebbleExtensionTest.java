package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PebbleExtension.class)
class PebbleExtensionTest {

    private static PebbleServer startedForTheClass;

    private final PebbleServer injectedIntoTheConstructor;

    PebbleExtensionTest(PebbleServer server) {
        this.injectedIntoTheConstructor = server;
    }

    @BeforeAll
    static void remember(PebbleServer server) {
        startedForTheClass = server;
    }

    @Test
    void constructorsLifecycleMethodsAndTestsReceiveTheOneRunningServer(PebbleServer server) throws Exception {
        assertThat(server).isSameAs(startedForTheClass).isSameAs(injectedIntoTheConstructor);
        try (Socket socket = new Socket("127.0.0.1", server.directoryUri().getPort())) {
            assertThat(socket.isConnected()).isTrue();
        }
    }

    @Nested
    class NestedClasses {

        @Test
        void shareTheServerOfTheirEnclosingClass(PebbleServer server) {
            assertThat(server).isSameAs(startedForTheClass);
        }
    }
}
