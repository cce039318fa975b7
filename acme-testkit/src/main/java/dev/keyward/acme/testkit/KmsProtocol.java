package dev.keyward.acme.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The AWS JSON 1.1 side of the {@link KmsEmulator}: reads {@code X-Amz-Target} and the JSON body,
 * answers {@code GetPublicKey} and {@code Sign} from the {@link KmsKeyring}, and writes errors as
 * {@code {"__type": ..., "message": ...}} with KMS's status. Never verifies SigV4.
 */
final class KmsProtocol {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String TARGET_PREFIX = "TrentService.";
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_MESSAGE_BYTES = 4096;
    private static final int MAX_RECORDED = 10_000;

    private final KmsKeyring keyring;
    private final KmsFaults faults;
    private final Deque<KmsEmulator.Request> recorded = new ArrayDeque<>();

    KmsProtocol(KmsKeyring keyring, KmsFaults faults) {
        this.keyring = keyring;
        this.faults = faults;
    }

    List<KmsEmulator.Request> requests() {
        synchronized (recorded) {
            return List.copyOf(new ArrayList<>(recorded));
        }
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target != null && target.startsWith(TARGET_PREFIX)
                    ? target.substring(TARGET_PREFIX.length()) : String.valueOf(target);
            int status = 200;
            Map<String, Object> answer;
            try {
                Map<String, Object> body = parse(raw);
                record(operation, body);
                answer = answer(exchange, operation, body);
            } catch (Failure failure) {
                status = failure.error.status();
                answer = new LinkedHashMap<>();
                answer.put("__type", failure.error.code());
                answer.put("message", failure.getMessage());
            }
            byte[] bytes = JsonDocuments.write(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Map<String, Object> answer(HttpExchange exchange, String operation, Map<String, Object> body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            throw new Failure(KmsEmulator.ErrorType.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw new Failure(KmsEmulator.ErrorType.UNKNOWN_OPERATION, "KMS takes POST requests only");
        }
        Optional<KmsEmulator.ErrorType> injected = faults.take();
        if (injected.isPresent()) {
            throw new Failure(injected.get(), injectedMessage(injected.get(), operation));
        }
        switch (operation) {
            case "GetPublicKey":
                return getPublicKey(body);
            case "Sign":
                return sign(body);
            default:
                throw new Failure(KmsEmulator.ErrorType.UNKNOWN_OPERATION,
                        "this KMS emulator knows GetPublicKey and Sign only, not " + operation);
        }
    }

    private Map<String, Object> getPublicKey(Map<String, Object> body) {
        EmulatedKmsKey key = usableKey(body, "GetPublicKey");
        if (key.keyPair() == null) {
            throw new Failure(KmsEmulator.ErrorType.UNSUPPORTED_OPERATION,
                    key.arn() + " key usage is ENCRYPT_DECRYPT and key spec is SYMMETRIC_DEFAULT, which has no public key.");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("KeyId", key.arn());
        answer.put("PublicKey", Base64.getEncoder().encodeToString(key.keyPair().getPublic().getEncoded()));
        answer.put("CustomerMasterKeySpec", key.spec().name());
        answer.put("KeySpec", key.spec().name());
        answer.put("KeyUsage", key.usage().name());
        if (key.usage() == KmsEmulator.KeyUsage.SIGN_VERIFY) {
            answer.put("SigningAlgorithms", key.signingAlgorithms());
        } else {
            answer.put("EncryptionAlgorithms", List.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"));
        }
        return answer;
    }

    private Map<String, Object> sign(Map<String, Object> body) {
        EmulatedKmsKey key = usableKey(body, "Sign");
        if (key.usage() != KmsEmulator.KeyUsage.SIGN_VERIFY) {
            throw new Failure(KmsEmulator.ErrorType.INVALID_KEY_USAGE,
                    "You cannot use " + key.arn() + " to sign: its KeyUsage is " + key.usage());
        }
        String algorithm = required(body, "SigningAlgorithm");
        byte[] message;
        try {
            message = Base64.getDecoder().decode(required(body, "Message"));
        } catch (IllegalArgumentException e) {
            throw new Failure(KmsEmulator.ErrorType.VALIDATION, "Message is not base64");
        }
        if (message.length < 1 || message.length > MAX_MESSAGE_BYTES) {
            throw new Failure(KmsEmulator.ErrorType.VALIDATION, "Message must hold 1 to 4096 bytes");
        }
        String messageType = optional(body, "MessageType").orElse("RAW");
        if (!messageType.equals("RAW") && !messageType.equals("DIGEST")) {
            throw new Failure(KmsEmulator.ErrorType.VALIDATION, "MessageType must be RAW or DIGEST: " + messageType);
        }
        Optional<byte[]> signature;
        try {
            signature = key.sign(algorithm, message, messageType.equals("DIGEST"));
        } catch (IllegalArgumentException e) {
            throw new Failure(KmsEmulator.ErrorType.VALIDATION, e.getMessage());
        }
        if (signature.isEmpty()) {
            throw new Failure(KmsEmulator.ErrorType.INVALID_KEY_USAGE, "Signing algorithm " + algorithm
                    + " is not valid for " + key.arn() + " (" + key.spec() + ")");
        }
        byte[] bytes = faults.corruptSignatures()
                ? "not a signature".getBytes(StandardCharsets.US_ASCII) : signature.get();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("KeyId", key.arn());
        answer.put("Signature", Base64.getEncoder().encodeToString(bytes));
        answer.put("SigningAlgorithm", algorithm);
        return answer;
    }

    /** The key named by {@code KeyId}, checked as KMS checks it: exists, access allowed, enabled. */
    private EmulatedKmsKey usableKey(Map<String, Object> body, String operation) {
        String identifier = required(body, "KeyId");
        EmulatedKmsKey key = keyring.resolve(identifier).orElseThrow(() -> new Failure(
                KmsEmulator.ErrorType.NOT_FOUND, identifier.contains("alias/")
                        ? "Alias " + identifier + " is not found." : "Key '" + identifier + "' does not exist"));
        if (keyring.isDenied(key)) {
            throw new Failure(KmsEmulator.ErrorType.ACCESS_DENIED, "User: arn:aws:iam::" + KmsEmulator.ACCOUNT_ID
                    + ":user/keyward-test is not authorized to perform: kms:" + operation + " on resource: "
                    + key.arn() + " because no resource-based policy allows the kms:" + operation + " action");
        }
        switch (key.state()) {
            case DISABLED:
                throw new Failure(KmsEmulator.ErrorType.DISABLED, key.arn() + " is disabled.");
            case PENDING_DELETION:
                throw new Failure(KmsEmulator.ErrorType.INVALID_STATE, key.arn() + " is pending deletion.");
            default:
                return key;
        }
    }

    private static Map<String, Object> parse(byte[] raw) {
        if (raw.length > MAX_BODY_BYTES) {
            throw new Failure(KmsEmulator.ErrorType.VALIDATION, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            return JsonDocuments.parseObject(new String(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new Failure(KmsEmulator.ErrorType.VALIDATION, "request body is not a JSON object: " + e.getMessage());
        }
    }

    private void record(String operation, Map<String, Object> body) {
        Map<String, String> strings = new LinkedHashMap<>();
        body.forEach((name, value) -> {
            if (value instanceof String) {
                strings.put(name, (String) value);
            }
        });
        synchronized (recorded) {
            if (recorded.size() == MAX_RECORDED) {
                recorded.removeFirst();
            }
            recorded.addLast(new KmsEmulator.Request(operation, strings));
        }
    }

    private static String required(Map<String, Object> body, String name) {
        return optional(body, name).orElseThrow(() -> new Failure(KmsEmulator.ErrorType.VALIDATION,
                "1 validation error detected: Value null at '" + name + "' failed to satisfy constraint: "
                        + "Member must not be null"));
    }

    private static Optional<String> optional(Map<String, Object> body, String name) {
        Object value = body.get(name);
        return value instanceof String ? Optional.of((String) value) : Optional.empty();
    }

    private static String injectedMessage(KmsEmulator.ErrorType error, String operation) {
        return switch (error) {
            case THROTTLING -> "Rate exceeded";
            case ACCESS_DENIED -> "User: arn:aws:iam::" + KmsEmulator.ACCOUNT_ID
                    + ":user/keyward-test is not authorized to perform: kms:" + operation;
            default -> error.code() + " injected by the test into " + operation;
        };
    }

    /** An error answer, carried out of the handling code. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient KmsEmulator.ErrorType error;

        Failure(KmsEmulator.ErrorType error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }
}
