package dev.keyward.acme.testkit;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Just enough of an RFC 8555 client, on the JDK alone, to drive Pebble through issuance and
 * revocation in this module's tests. Not an example of good client design: acme-core is that.
 */
final class TestAcmeClient {

    private static final Duration POLL_LIMIT = Duration.ofSeconds(20);

    private final HttpClient http;
    private final String directory;
    private final KeyPair accountKey;
    private String nonce;
    private String accountUrl;

    private TestAcmeClient(PebbleServer pebble) throws IOException, InterruptedException {
        this.http = HttpClient.newBuilder().sslContext(pebble.sslContext()).build();
        this.directory = http.send(HttpRequest.newBuilder(pebble.directoryUri()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        this.accountKey = ecKeyPair();
    }

    /** Creates an account that agrees to the terms of service. */
    static TestAcmeClient register(PebbleServer pebble) throws IOException, InterruptedException {
        TestAcmeClient client = new TestAcmeClient(pebble);
        HttpResponse<String> account = client.post(client.endpoint("newAccount"), "{\"termsOfServiceAgreed\":true}");
        if (account.statusCode() != 201) {
            throw new IllegalStateException("newAccount answered " + account.statusCode() + ": " + account.body());
        }
        client.accountUrl = account.headers().firstValue("Location").orElseThrow();
        return client;
    }

    /** An order for {@code domain}, as the order URL and the current order document. */
    record Order(String url, String body) {
    }

    /** A pending challenge of some type, with its token. */
    record Challenge(String url, String token) {
    }

    Order newOrder(String domain) throws IOException, InterruptedException {
        return newOrder(domain, null);
    }

    /** An order that names {@code profile} (Pebble 2.10's profiles), or none when it is null. */
    Order newOrder(String domain, String profile) throws IOException, InterruptedException {
        HttpResponse<String> order = post(endpoint("newOrder"),
                "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"" + domain + "\"}]"
                        + (profile == null ? "" : ",\"profile\":\"" + profile + "\"") + "}");
        expect(order, 201);
        return new Order(order.headers().firstValue("Location").orElseThrow(), order.body());
    }

    /** Orders {@code domain}, answers its http-01 challenge through the kit's responder and downloads the chain. */
    List<X509Certificate> issueOverHttp01(PebbleServer pebble, String domain, String profile) throws Exception {
        Order order = newOrder(domain, profile);
        Challenge challenge = challenge(order, "http-01");
        pebble.http01Responder().serve(challenge.token(), keyAuthorization(challenge.token()));
        respond(challenge);
        Order ready = awaitOrder(order, Set.of("ready", "invalid"));
        if (!string(ready.body(), "status").equals("ready")) {
            throw new IllegalStateException("the order for " + domain + " failed: " + ready.body());
        }
        return finalizeAndDownload(ready, domain);
    }

    /** The directory document as Pebble served it. */
    String directory() {
        return directory;
    }

    /** A POST-as-GET of {@code url} (RFC 8555 section 6.3), with the response's headers. */
    HttpResponse<String> fetch(String url) throws IOException, InterruptedException {
        return postAsGet(url);
    }

    /**
     * A plain GET of the certificate's renewal information (ARI): the directory's
     * {@code renewalInfo} URL, a slash, and the certificate's unique identifier, the base64url
     * authority key identifier and serial number joined by a dot.
     */
    HttpResponse<String> renewalInfo(X509Certificate certificate) throws IOException, InterruptedException {
        byte[] extension = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        byte[] keyIdentifier = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
                .getKeyIdentifier();
        String certId = base64Url(keyIdentifier) + "." + base64Url(certificate.getSerialNumber().toByteArray());
        return http.send(HttpRequest.newBuilder(URI.create(endpoint("renewalInfo") + "/" + certId)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    Challenge challenge(Order order, String type) throws IOException, InterruptedException {
        String authorization = postAsGet(strings(order.body(), "authorizations").get(0)).body();
        Matcher object = Pattern.compile("\\{[^{}]*\"type\"\\s*:\\s*\"" + type + "\"[^{}]*\\}").matcher(authorization);
        if (!object.find()) {
            throw new IllegalStateException("no " + type + " challenge in " + authorization);
        }
        return new Challenge(string(object.group(), "url"), string(object.group(), "token"));
    }

    /** Tells the server to validate (RFC 8555 section 7.5.1). */
    HttpResponse<String> respond(Challenge challenge) throws IOException, InterruptedException {
        HttpResponse<String> response = post(challenge.url(), "{}");
        expect(response, 200);
        return response;
    }

    /** Polls the order (no sleep: each round trip paces the next) until it reaches one of {@code statuses}. */
    Order awaitOrder(Order order, Set<String> statuses) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(POLL_LIMIT);
        while (true) {
            String body = postAsGet(order.url()).body();
            if (statuses.contains(string(body, "status"))) {
                return new Order(order.url(), body);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("order never reached " + statuses + ": " + body);
            }
        }
    }

    /** Finalizes with a CSR for {@code domain} and downloads the chain once the order is valid. */
    List<X509Certificate> finalizeAndDownload(Order ready, String domain) throws Exception {
        finalizeOrder(ready, domain);
        Order valid = awaitOrder(ready, Set.of("valid", "invalid"));
        HttpResponse<String> chain = postAsGet(string(valid.body(), "certificate"));
        expect(chain, 200);
        return Pem.certificates(chain.body());
    }

    /** Sends the finalize request with a CSR for {@code domain} (RFC 8555 section 7.4). */
    HttpResponse<String> finalizeOrder(Order ready, String domain) throws Exception {
        HttpResponse<String> response = post(string(ready.body(), "finalize"),
                "{\"csr\":\"" + base64Url(csr(domain)) + "\"}");
        expect(response, 200);
        return response;
    }

    /** Revokes with reason {@code reason} (RFC 8555 section 7.6), signed by the account key. */
    HttpResponse<String> revoke(X509Certificate certificate, int reason) throws Exception {
        return post(endpoint("revokeCert"),
                "{\"certificate\":\"" + base64Url(certificate.getEncoded()) + "\",\"reason\":" + reason + "}");
    }

    /** The key authorization of RFC 8555 section 8.1. */
    String keyAuthorization(String token) throws GeneralSecurityException {
        byte[] thumbprint = MessageDigest.getInstance("SHA-256").digest(jwk().getBytes(StandardCharsets.UTF_8));
        return token + "." + base64Url(thumbprint);
    }

    /** The TXT value of a dns-01 challenge (RFC 8555 section 8.4). */
    String dnsDigest(String token) throws GeneralSecurityException {
        return base64Url(MessageDigest.getInstance("SHA-256")
                .digest(keyAuthorization(token).getBytes(StandardCharsets.US_ASCII)));
    }

    static String string(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no string " + name + " in " + json);
        }
        return matcher.group(1);
    }

    static List<String> strings(String json, String name) {
        Matcher array = Pattern.compile("\"" + name + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!array.find()) {
            throw new IllegalStateException("no array " + name + " in " + json);
        }
        List<String> values = new ArrayList<>();
        Matcher value = Pattern.compile("\"([^\"]*)\"").matcher(array.group(1));
        while (value.find()) {
            values.add(value.group(1));
        }
        return values;
    }

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String endpoint(String name) {
        return string(directory, name);
    }

    private HttpResponse<String> postAsGet(String url) throws IOException, InterruptedException {
        return post(url, null);
    }

    private HttpResponse<String> post(String url, String payload) throws IOException, InterruptedException {
        if (nonce == null) {
            nonce = http.send(HttpRequest.newBuilder(URI.create(endpoint("newNonce")))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).headers().firstValue("Replay-Nonce").orElseThrow();
        }
        String key = accountUrl == null ? "\"jwk\":" + jwk() : "\"kid\":\"" + accountUrl + "\"";
        String header = base64Url(("{\"alg\":\"ES256\"," + key + ",\"nonce\":\"" + nonce + "\",\"url\":\"" + url + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String body = payload == null ? "" : base64Url(payload.getBytes(StandardCharsets.UTF_8));
        String jws = "{\"protected\":\"" + header + "\",\"payload\":\"" + body + "\",\"signature\":\""
                + base64Url(sign(header + "." + body)) + "\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/jose+json")
                        .POST(HttpRequest.BodyPublishers.ofString(jws)).build(),
                HttpResponse.BodyHandlers.ofString());
        nonce = response.headers().firstValue("Replay-Nonce").orElse(null);
        return response;
    }

    private byte[] sign(String signingInput) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(accountKey.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String jwk() {
        ECPublicKey key = (ECPublicKey) accountKey.getPublic();
        return "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + base64Url(unsigned(key.getW().getAffineX()))
                + "\",\"y\":\"" + base64Url(unsigned(key.getW().getAffineY())) + "\"}";
    }

    private static byte[] csr(String domain) throws Exception {
        KeyPair keys = ecKeyPair();
        Extensions extensions = new Extensions(new Extension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, domain)).getEncoded()));
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + domain), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                .getEncoded();
    }

    private static byte[] unsigned(BigInteger coordinate) {
        byte[] bytes = coordinate.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return fixed;
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode()
                    + " instead of " + status + ": " + response.body());
        }
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
