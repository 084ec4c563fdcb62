package dev.steward.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Header;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.webjars.WebJarVersionLocator;

/**
 * The web UI: one page and its ES modules from {@code web/} in the jar, and the browser libraries from WebJars.
 * <ul>
 * <li>{@code GET /} is {@code index.html}, never cached, with a strict Content-Security-Policy: scripts, styles and
 * connections from this origin only, no inline script or style, no frames.</li>
 * <li>{@code /assets/HASH/…} are the files of {@code web/}; HASH is a digest of their contents, so a new build has
 * new URLs and the old ones may be cached for a year.</li>
 * <li>{@code /assets/lib/NAME/VERSION/…} are WebJar files, cached for a year as well (the version is in the URL).</li>
 * </ul>
 * In {@code index.html}, {@code @assets@} becomes {@code /assets/HASH} and {@code @lib:NAME@} becomes
 * {@code /assets/lib/NAME/VERSION} for the WebJar on the class path.
 */
final class WebUi {
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
            "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
            "frame-ancestors 'none'");
    private static final String RESOURCES = "web";
    private static final String WEBJARS = "META-INF/resources/webjars";
    private static final String FOREVER = "public, max-age=31536000, immutable";
    private static final Pattern LIBRARY = Pattern.compile("@lib:([A-Za-z0-9._-]+)@");
    private static final Map<String, String> STATIC_HEADERS = Map.of(
            Header.CACHE_CONTROL, FOREVER, Header.X_CONTENT_TYPE_OPTIONS, "nosniff");

    private WebUi() {}

    /**
     * Serves the UI from {@code config}'s server: {@code /} and {@code /assets/…}. They are not routes of the API —
     * not in its router, its OpenAPI description or its credential checks; anyone may load the page — so the page is
     * a servlet of its own at the root (the servlet mapping {@code ""}), beside Javalin's, as MCP's is.
     */
    static void mount(JavalinConfig config) {
        String assets = "/assets/" + contentHash();
        String page = render(read(RESOURCES + "/index.html"), assets, new WebJarVersionLocator());
        config.jetty.modifyServletContextHandler(handler ->
                handler.addServlet(new ServletHolder("web-ui", new IndexPage(page)), ""));
        config.staticFiles.add(files -> {
            files.hostedPath = assets;
            files.directory = "/" + RESOURCES;
            files.headers = STATIC_HEADERS;
            files.skipFileFunction = request -> request.getRequestURI().endsWith("/index.html"); // the template: see /
        });
        config.staticFiles.add(files -> {
            files.hostedPath = "/assets/lib";
            files.directory = "/" + WEBJARS;
            files.headers = STATIC_HEADERS;
        });
    }

    /** {@code GET /}: the page, never cached, under the Content-Security-Policy. */
    private static final class IndexPage extends HttpServlet {
        private final byte[] page;

        IndexPage(String page) {
            this.page = page.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader(Header.CACHE_CONTROL, "no-cache");
            response.setHeader(Header.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
            response.setHeader(Header.X_CONTENT_TYPE_OPTIONS, "nosniff");
            response.setHeader("Referrer-Policy", "no-referrer");
            response.setContentType("text/html; charset=utf-8");
            response.setContentLength(page.length);
            response.getOutputStream().write(page);
        }
    }

    /** The page with its asset and library placeholders filled in; a library missing from the class path fails. */
    static String render(String page, String assets, WebJarVersionLocator webjars) {
        Matcher libraries = LIBRARY.matcher(page.replace("@assets@", assets));
        return libraries.replaceAll(match -> {
            String name = match.group(1);
            String version = webjars.version(name);
            if (version == null) {
                throw new IllegalStateException("the web UI needs the WebJar '" + name
                        + "' on the class path; rebuild with ./mvnw package");
            }
            return Matcher.quoteReplacement("/assets/lib/" + name + "/" + version);
        });
    }

    /** A digest of every file under {@code web/}, names and contents: it changes when any of them does. */
    static String contentHash() {
        URL index = WebUi.class.getClassLoader().getResource(RESOURCES + "/index.html");
        if (index == null) {
            throw new IllegalStateException("the web UI's files (" + RESOURCES + "/) are missing from the class path");
        }
        try {
            URI uri = index.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return digest(Path.of(uri).getParent());
            }
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return digest(jar.provider().getPath(uri).getParent());
            } catch (FileSystemAlreadyExistsException e) { // someone else has the jar open: read through theirs
                return digest(FileSystems.getFileSystem(uri).provider().getPath(uri).getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digest(Path root) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            sha.update(root.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 6);
    }

    private static String read(String resource) {
        try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
