package io.dataplatform.guard;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** A local HTTP server standing in for AWS, recording every request the real SDK client sends. */
final class AwsStub implements AutoCloseable {
    record Request(String target, String contentType, String body) {
    }

    record Response(int status, String body) {
    }

    final List<Request> requests = new ArrayList<>();
    private final HttpServer server;
    private final Map<String, Function<Request, Response>> handlers = new ConcurrentHashMap<>();

    AwsStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
            Request request = new Request(target, exchange.getRequestHeaders().getFirst("Content-Type"), body);
            synchronized (requests) {
                requests.add(request);
            }
            Response response = handlers.entrySet().stream().filter(e -> (target != null && target.endsWith(e.getKey()))
                            || body.contains(e.getKey())).map(e -> e.getValue().apply(request)).findFirst()
                    .orElse(new Response(200, "{}"));
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", target != null ? "application/x-amz-json-1.1" : "text/xml");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    void on(String targetOrAction, Function<Request, Response> handler) {
        handlers.put(targetOrAction, handler);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requestsFor(String targetOrAction) {
        synchronized (requests) {
            return requests.stream().filter(r -> (r.target() != null && r.target().endsWith(targetOrAction))
                    || r.body().contains(targetOrAction)).toList();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
