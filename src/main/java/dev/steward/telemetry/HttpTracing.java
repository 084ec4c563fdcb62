package dev.steward.telemetry;

import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;

/**
 * A server span around each HTTP request, continuing the caller's W3C trace ({@code traceparent}) when it sends one,
 * so that the model and tool calls the request makes are children of the caller's span. Named by method and route
 * template (read from a request attribute the router sets), never by the raw path, so ids do not make a name each.
 * With tracing off it passes the request straight on.
 */
public final class HttpTracing implements Filter {
    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest request) {
            return Collections.list(request.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest request, String key) {
            return request == null ? null : request.getHeader(key);
        }
    };

    private final String routeAttribute;

    /** @param routeAttribute the request attribute that holds the matched route's template */
    public HttpTracing(String routeAttribute) {
        this.routeAttribute = routeAttribute;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!Tracing.on() || !(request instanceof HttpServletRequest http)
                || !(response instanceof HttpServletResponse answer)) {
            chain.doFilter(request, response);
            return;
        }
        String method = http.getMethod();
        try (TraceSpan span = Tracing.server(method, http.getRequestURI(), http, HEADERS)) {
            try {
                chain.doFilter(request, response);
            } finally {
                Object route = http.getAttribute(routeAttribute);
                // Javalin's routes note their template; a servlet of its own (MCP) is named by where it is mounted.
                String template = route != null ? route.toString()
                        : http.getServletPath().isEmpty() ? null : http.getServletPath();
                span.rename(template == null ? method : method + " " + template);
                span.set("http.route", template);
                int status = answer.getStatus();
                span.set("http.response.status_code", status);
                if (status >= 500) {
                    span.fail(Integer.toString(status), "HTTP " + status);
                }
            }
        }
    }
}
