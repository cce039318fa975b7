package dev.keyward.acme.kms.aws;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/** An OkHttp interceptor that keeps the body of every JWS the ACME client POSTs (RFC 8555 section 6.2). */
final class JwsCapture implements Interceptor {
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (request.body() != null && String.valueOf(request.body().contentType()).startsWith("application/jose+json")) {
            Buffer buffer = new Buffer();
            request.body().writeTo(buffer);
            bodies.add(buffer.readUtf8());
        }
        return chain.proceed(request);
    }

    /** The flattened JWS bodies sent so far, oldest first. */
    List<String> bodies() {
        return List.copyOf(bodies);
    }
}
