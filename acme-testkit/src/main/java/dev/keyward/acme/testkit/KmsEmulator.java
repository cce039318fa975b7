package dev.keyward.acme.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An <strong>emulator</strong> of the AWS Key Management Service for tests: an HTTP endpoint on
 * 127.0.0.1, inside the test JVM, that speaks the AWS JSON 1.1 protocol of KMS
 * ({@code POST /} with {@code X-Amz-Target: TrentService.GetPublicKey} or {@code TrentService.Sign}
 * and {@code Content-Type: application/x-amz-json-1.1}) and really signs, with asymmetric keys it
 * generates and holds in memory. The AWS SDK reaches it through {@code endpointOverride(emulator.endpoint())}
 * over plain HTTP, with any region and static credentials.
 *
 * <p>It is not AWS and proves nothing about AWS: it does not verify SigV4 signatures (it only checks
 * that a request carries an {@code Authorization} header), knows no IAM policies, grants or quotas,
 * implements only {@code GetPublicKey} and {@code Sign} (others answer {@code UnknownOperationException}),
 * signs only with ECDSA and RSASSA-PKCS1-v1_5, and forgets everything on {@link #close()}. Errors come
 * in the AWS JSON error shape, {@code {"__type": "NotFoundException", "message": "..."}}, with the
 * HTTP status KMS uses; tests provoke them through key states, {@link #denyAccess} and the fault
 * switches ({@link #failNextRequests}, {@link #failEveryRequest}, {@link #corruptSignatures}).
 *
 * <pre>{@code
 * try (KmsEmulator kms = KmsEmulator.start()) {
 *     KmsEmulator.Key key = kms.createKey(KmsEmulator.KeySpec.ECC_NIST_P256);
 *     KmsClient client = KmsClient.builder()
 *             .endpointOverride(kms.endpoint())
 *             .region(Region.of(kms.region()))
 *             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
 *             .build();
 *     client.sign(r -> r.keyId(key.arn()).message(...).messageType(MessageType.DIGEST)
 *             .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
 * }
 * }</pre>
 *
 * <p>Key ids are UUIDs; ARNs are {@code arn:aws:kms:}{@link #region()}{@code :}{@value #ACCOUNT_ID}
 * {@code :key/<id>}. A request may name a key by id, key ARN, alias name ({@code alias/NAME}) or alias
 * ARN, as with KMS. Instances are thread-safe. Uses only the JDK's HTTP server and BouncyCastle.
 */
public final class KmsEmulator implements AutoCloseable {

    /** The AWS account id in every ARN this emulator hands out. */
    public static final String ACCOUNT_ID = "111122223333";

    /** The region in ARNs unless {@link #start(String)} names another. */
    public static final String DEFAULT_REGION = "us-east-1";

    private static final int THREADS = 4;
    private static final int QUEUE = 64;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final KmsKeyring keyring;
    private final KmsFaults faults;
    private final KmsProtocol protocol;

    private KmsEmulator(HttpServer server, ThreadPoolExecutor executor, KmsKeyring keyring, KmsFaults faults,
                        KmsProtocol protocol) {
        this.server = server;
        this.executor = executor;
        this.keyring = keyring;
        this.faults = faults;
        this.protocol = protocol;
    }

    /**
     * Starts an emulator on a free port of 127.0.0.1 whose ARNs name {@value #DEFAULT_REGION}.
     *
     * @return the running emulator
     * @throws UncheckedIOException if no port can be bound
     */
    public static KmsEmulator start() {
        return start(DEFAULT_REGION);
    }

    /**
     * Starts an emulator on a free port of 127.0.0.1 whose ARNs name {@code region}. Requests signed
     * for any region are answered alike.
     *
     * @param region for example {@code eu-west-1}
     * @return the running emulator
     * @throws IllegalArgumentException if {@code region} is not a region name
     * @throws UncheckedIOException if no port can be bound
     */
    public static KmsEmulator start(String region) {
        Objects.requireNonNull(region, "region");
        if (!region.matches("[a-z]{2}(-[a-z0-9]+)+-[0-9]+")) {
            throw new IllegalArgumentException("not an AWS region name: " + region);
        }
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        KmsKeyring keyring = new KmsKeyring(region, ACCOUNT_ID);
        KmsFaults faults = new KmsFaults();
        KmsProtocol protocol = new KmsProtocol(keyring, faults);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(LoopbackPorts.LOOPBACK, 0), QUEUE);
            server.createContext("/", protocol::handle);
            server.setExecutor(executor);
            server.start();
            return new KmsEmulator(server, executor, keyring, faults, protocol);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot bind the KMS emulator to 127.0.0.1", e);
        }
    }

    /**
     * The endpoint to give the SDK ({@code endpointOverride}, or {@code AWS_ENDPOINT_URL_KMS}).
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * The region in this emulator's ARNs.
     *
     * @return the region name
     */
    public String region() {
        return keyring.region();
    }

    /**
     * Creates an enabled {@code SIGN_VERIFY} key, like {@code CreateKey} with {@code KeySpec=spec}.
     *
     * @param spec an asymmetric key spec
     * @return the key
     * @throws IllegalArgumentException for {@link KeySpec#SYMMETRIC_DEFAULT}, which cannot sign
     */
    public Key createKey(KeySpec spec) {
        return createKey(spec, KeyUsage.SIGN_VERIFY);
    }

    /**
     * Creates an enabled key with the given usage, for example an RSA key for
     * {@code ENCRYPT_DECRYPT} to test a signer that must refuse it.
     *
     * @param spec the key spec
     * @param usage the key usage
     * @return the key
     * @throws IllegalArgumentException if KMS would refuse the combination (EC keys for
     *     encryption, a symmetric key for signing)
     */
    public Key createKey(KeySpec spec, KeyUsage usage) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(usage, "usage");
        if (spec == KeySpec.SYMMETRIC_DEFAULT && usage != KeyUsage.ENCRYPT_DECRYPT) {
            throw new IllegalArgumentException("a SYMMETRIC_DEFAULT key is for ENCRYPT_DECRYPT only");
        }
        if (spec.curve() != null && usage == KeyUsage.ENCRYPT_DECRYPT) {
            throw new IllegalArgumentException("KMS elliptic-curve keys cannot encrypt: " + spec);
        }
        return keyring.create(spec, usage).asPublic();
    }

    /**
     * Points an alias at a key, like {@code CreateAlias} (or {@code UpdateAlias} when it exists).
     *
     * @param aliasName {@code alias/} and a name of letters, digits and {@code /_-}
     * @param key the target key
     * @return the alias ARN
     * @throws IllegalArgumentException if the name is not an alias name or the key is not this emulator's
     */
    public String createAlias(String aliasName, Key key) {
        Objects.requireNonNull(aliasName, "aliasName");
        Objects.requireNonNull(key, "key");
        if (!aliasName.matches("alias/[A-Za-z0-9/_-]{1,250}") || aliasName.startsWith("alias/aws/")) {
            throw new IllegalArgumentException("not a customer alias name: " + aliasName);
        }
        return keyring.alias(aliasName, key.keyId());
    }

    /**
     * Sets a key's state: a {@link KeyState#DISABLED} key answers {@code DisabledException}, a key
     * {@link KeyState#PENDING_DELETION} answers {@code KMSInvalidStateException}.
     *
     * @param key the key
     * @param state the new state
     */
    public void keyState(Key key, KeyState state) {
        keyring.existing(Objects.requireNonNull(key, "key").keyId()).state(Objects.requireNonNull(state, "state"));
    }

    /**
     * Makes every request about this key answer {@code AccessDeniedException}, as when the key
     * policy does not allow the caller; {@code denied=false} undoes it.
     *
     * @param key the key
     * @param denied whether requests are denied
     */
    public void denyAccess(Key key, boolean denied) {
        keyring.deny(keyring.existing(Objects.requireNonNull(key, "key").keyId()).keyId(), denied);
    }

    /**
     * Answers the next {@code count} requests, whatever they ask, with {@code error} instead of
     * handling them. Adds to the requests already set to fail.
     *
     * @param error the error to answer
     * @param count how many requests, at least 1
     */
    public void failNextRequests(ErrorType error, int count) {
        Objects.requireNonNull(error, "error");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        faults.failNext(error, count);
    }

    /**
     * Answers every request with {@code error} until {@link #clearFailures()}.
     *
     * @param error the error to answer
     */
    public void failEveryRequest(ErrorType error) {
        faults.failAlways(Objects.requireNonNull(error, "error"));
    }

    /** Forgets the failures set by {@link #failNextRequests} and {@link #failEveryRequest}. */
    public void clearFailures() {
        faults.clear();
    }

    /**
     * Whether {@code Sign} answers bytes that are no signature at all (a broken service), while
     * still answering 200.
     *
     * @param corrupt true to answer garbage
     */
    public void corruptSignatures(boolean corrupt) {
        faults.corruptSignatures(corrupt);
    }

    /**
     * Every request received so far, oldest first, including the ones answered with an error.
     *
     * @return a snapshot
     */
    public List<Request> requests() {
        return protocol.requests();
    }

    /**
     * How many requests for one operation arrived so far.
     *
     * @param operation for example {@code "Sign"} or {@code "GetPublicKey"}
     * @return the count
     */
    public int requestCount(String operation) {
        Objects.requireNonNull(operation, "operation");
        return (int) protocol.requests().stream().filter(r -> r.operation().equals(operation)).count();
    }

    /** Stops answering and frees the port; keys are gone. */
    @Override
    public void close() {
        HttpServers.stop(server, executor);
    }

    @Override
    public String toString() {
        return "KmsEmulator{" + endpoint() + ", " + region() + "}";
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "keyward-kms-emulator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The key specs of KMS this emulator knows, with the signing algorithms KMS lists for each. */
    public enum KeySpec {
        /** EC on NIST P-256 (secp256r1), {@code ECDSA_SHA_256}. */
        ECC_NIST_P256("secp256r1", 0, List.of("ECDSA_SHA_256")),
        /** EC on NIST P-384 (secp384r1), {@code ECDSA_SHA_384}. */
        ECC_NIST_P384("secp384r1", 0, List.of("ECDSA_SHA_384")),
        /** EC on NIST P-521 (secp521r1), {@code ECDSA_SHA_512}. */
        ECC_NIST_P521("secp521r1", 0, List.of("ECDSA_SHA_512")),
        /** EC on secp256k1, {@code ECDSA_SHA_256}: a KMS key that ACME cannot use. */
        ECC_SECG_P256K1("secp256k1", 0, List.of("ECDSA_SHA_256")),
        /** RSA 2048, {@code RSASSA_PKCS1_V1_5_SHA_256/384/512} (no PSS in this emulator). */
        RSA_2048(null, 2048, rsaAlgorithms()),
        /** RSA 3072. */
        RSA_3072(null, 3072, rsaAlgorithms()),
        /** RSA 4096. */
        RSA_4096(null, 4096, rsaAlgorithms()),
        /** An AES key: no public key, {@code GetPublicKey} answers {@code UnsupportedOperationException}. */
        SYMMETRIC_DEFAULT(null, 0, List.of());

        private final String curve;
        private final int rsaBits;
        private final List<String> signingAlgorithms;

        KeySpec(String curve, int rsaBits, List<String> signingAlgorithms) {
            this.curve = curve;
            this.rsaBits = rsaBits;
            this.signingAlgorithms = signingAlgorithms;
        }

        private static List<String> rsaAlgorithms() {
            return List.of("RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512");
        }

        String curve() {
            return curve;
        }

        int rsaBits() {
            return rsaBits;
        }

        /**
         * The signing algorithms KMS lists for a {@code SIGN_VERIFY} key of this spec.
         *
         * @return the KMS names, such as {@code ECDSA_SHA_256}
         */
        public List<String> signingAlgorithms() {
            return signingAlgorithms;
        }
    }

    /** What a key is for ({@code KeyUsage}). */
    public enum KeyUsage {
        /** Signing and verification. */
        SIGN_VERIFY,
        /** Encryption and decryption: such a key must not sign. */
        ENCRYPT_DECRYPT
    }

    /** A key's state ({@code KeyState}), under its KMS name. */
    public enum KeyState {
        /** Usable. */
        ENABLED("Enabled"),
        /** Disabled: requests answer {@code DisabledException}. */
        DISABLED("Disabled"),
        /** Scheduled for deletion: requests answer {@code KMSInvalidStateException}. */
        PENDING_DELETION("PendingDeletion");

        private final String kmsName;

        KeyState(String kmsName) {
            this.kmsName = kmsName;
        }

        /**
         * The state as KMS writes it.
         *
         * @return for example {@code PendingDeletion}
         */
        public String kmsName() {
            return kmsName;
        }
    }

    /** The errors this emulator answers, each with its {@code __type} and HTTP status as KMS sends them. */
    public enum ErrorType {
        /** The key does not exist. */
        NOT_FOUND("NotFoundException", 400),
        /** The key is disabled. */
        DISABLED("DisabledException", 400),
        /** The key policy or IAM does not allow the caller. */
        ACCESS_DENIED("AccessDeniedException", 400),
        /** A request quota was exceeded; the SDK retries this one. */
        THROTTLING("ThrottlingException", 400),
        /** The key's state does not allow the operation (pending deletion, pending import). */
        INVALID_STATE("KMSInvalidStateException", 400),
        /** The key's usage or the signing algorithm does not fit the operation. */
        INVALID_KEY_USAGE("InvalidKeyUsageException", 400),
        /** The operation does not apply to the key, such as {@code GetPublicKey} on a symmetric key. */
        UNSUPPORTED_OPERATION("UnsupportedOperationException", 400),
        /** A parameter is malformed. */
        VALIDATION("ValidationException", 400),
        /** The key's custom key store cannot be reached. */
        KEY_UNAVAILABLE("KeyUnavailableException", 500),
        /** KMS failed internally; the SDK retries this one. */
        INTERNAL("KMSInternalException", 500),
        /** The {@code X-Amz-Target} names no operation of this emulator. */
        UNKNOWN_OPERATION("UnknownOperationException", 400),
        /** The request carried no {@code Authorization} header. */
        MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 400);

        private final String code;
        private final int status;

        ErrorType(String code, int status) {
            this.code = code;
            this.status = status;
        }

        /**
         * The error's {@code __type}.
         *
         * @return for example {@code NotFoundException}
         */
        public String code() {
            return code;
        }

        /**
         * The HTTP status it is sent with.
         *
         * @return 400 or 500
         */
        public int status() {
            return status;
        }
    }

    /** A key this emulator holds: its identifiers and public half. Immutable. */
    public static final class Key {
        private final String keyId;
        private final String arn;
        private final KeySpec spec;
        private final KeyUsage usage;
        private final PublicKey publicKey;

        Key(String keyId, String arn, KeySpec spec, KeyUsage usage, PublicKey publicKey) {
            this.keyId = keyId;
            this.arn = arn;
            this.spec = spec;
            this.usage = usage;
            this.publicKey = publicKey;
        }

        /** @return the key id, a UUID */
        public String keyId() {
            return keyId;
        }

        /** @return the key ARN, {@code arn:aws:kms:REGION:ACCOUNT:key/ID} */
        public String arn() {
            return arn;
        }

        /** @return the key spec */
        public KeySpec spec() {
            return spec;
        }

        /** @return the key usage */
        public KeyUsage usage() {
            return usage;
        }

        /**
         * The public key, as {@code GetPublicKey} returns it.
         *
         * @return the public key, or empty for a symmetric key
         */
        public Optional<PublicKey> publicKey() {
            return Optional.ofNullable(publicKey);
        }

        @Override
        public String toString() {
            return "Key{" + arn + ", " + spec + ", " + usage + "}";
        }
    }

    /** One request as received: its operation and the string members of its JSON body. Immutable. */
    public static final class Request {
        private final String operation;
        private final Map<String, String> members;

        Request(String operation, Map<String, String> members) {
            this.operation = operation;
            this.members = Map.copyOf(members);
        }

        /** @return the operation, the part of {@code X-Amz-Target} after {@code TrentService.} */
        public String operation() {
            return operation;
        }

        /**
         * A top-level string member of the request body, such as {@code KeyId}, {@code MessageType}
         * or {@code SigningAlgorithm}; {@code Message} is base64 as sent.
         *
         * @param name the member name
         * @return the value, or empty when absent or not a string
         */
        public Optional<String> member(String name) {
            return Optional.ofNullable(members.get(name));
        }

        @Override
        public String toString() {
            return operation + members.keySet();
        }
    }
}
