package dev.steward.server;

import dev.steward.config.Role;
import dev.steward.identity.Accounts.Principal;
import dev.steward.identity.Sessions;
import dev.steward.support.Json;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Guards {@code /mcp}, which Jetty serves beside Javalin's routes: the same API keys and sessions as the rest, and
 * no tools for the role limited. The caller's id and role travel to the MCP server as request attributes.
 */
final class McpAccessFilter extends HttpFilter {
    private final transient Access access;

    McpAccessFilter(Access access) {
        this.access = access;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Principal principal;
        try {
            principal = access.authenticate(request.getHeader("Authorization"),
                    Access.cookie(request.getHeader("Cookie"), Sessions.COOKIE).orElse(null), request.getMethod(),
                    request.getHeader(Sessions.CSRF_HEADER));
            if (principal.role() == Role.LIMITED) {
                throw ApiError.forbidden("user " + principal.name() + " has the role 'limited', which has no tools",
                        "ask an admin for the role 'standard'");
            }
        } catch (ApiError e) {
            response.setStatus(e.status);
            response.setContentType("application/json");
            e.headers.forEach(response::setHeader);
            response.getWriter().write(Json.write(e.body()));
            return;
        }
        request.setAttribute(HttpServer.MCP_USER, principal.userId());
        request.setAttribute(HttpServer.MCP_ROLE, principal.role());
        chain.doFilter(request, response);
    }
}
