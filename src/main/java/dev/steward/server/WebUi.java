package dev.steward.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Header;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.MimeTypes;
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
        String hash = contentHash();
        String page = render(read(RESOURCES + "/index.html"), "/assets/" + hash, new WebJarVersionLocator());
        config.jetty.modifyServletContextHandler(handler -> {
            handler.addServlet(new ServletHolder("web-ui", new IndexPage(page)), "");
            handler.addServlet(new ServletHolder("web-ui-assets", new Assets(hash)), "/assets/*");
        });
    }

    /**
     * The class path resource {@code /assets/…} names, or null when it names none: {@code PATH} is the part after
     * {@code /assets}, {@code hash} this build's. The page's template is no asset, and no segment may climb out.
     */
    static String resourceOf(String path, String hash) {
        if (path == null || path.endsWith("/") || path.contains("\\")) {
            return null;
        }
        String resource;
        if (path.startsWith("/lib/")) {
            resource = WEBJARS + path.substring("/lib".length());
        } else if (path.startsWith("/" + hash + "/") && !path.equals("/" + hash + "/index.html")) {
            resource = RESOURCES + path.substring(1 + hash.length());
        } else {
            return null;
        }
        for (String segment : resource.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        return resource;
    }

    /**
     * {@code GET /assets/…}: read through the class loader's own open jar. Jetty's static file handler would mount the
     * whole jar as a zip file system instead — an index of its 46 000 entries, some 13 MB of heap per mount, and
     * Javalin makes several.
     */
    private static final class Assets extends HttpServlet {
        private static final long MAX_CACHED_BYTES = 16L << 20;
        private final String hash;
        private final Cache<String, Optional<byte[]>> files = Caffeine.newBuilder()
                .maximumWeight(MAX_CACHED_BYTES).weigher((String name, Optional<byte[]> file) ->
                        name.length() + file.map(bytes -> bytes.length).orElse(0)).build();

        Assets(String hash) {
            this.hash = hash;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String resource = resourceOf(request.getPathInfo(), hash);
            Optional<byte[]> file = resource == null ? Optional.empty() : files.get(resource, WebUi::readFile);
            if (file.isEmpty()) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            byte[] bytes = file.get();
            STATIC_HEADERS.forEach(response::setHeader);
            String type = MimeTypes.DEFAULTS.getMimeByExtension(resource);
            if (type != null) {
                response.setContentType(type.startsWith("text/") ? type + ";charset=utf-8" : type);
            }
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }

    /** A regular file on the class path, whole; empty for a directory or nothing. */
    private static Optional<byte[]> readFile(String resource) {
        URL url = WebUi.class.getClassLoader().getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        try {
            URLConnection connection = url.openConnection();
            boolean file = connection instanceof JarURLConnection jar
                    ? jar.getJarEntry() != null && !jar.getJarEntry().isDirectory()
                    : "file".equals(url.getProtocol()) && Files.isRegularFile(Path.of(url.toURI()));
            if (!file) {
                return Optional.empty();
            }
            try (InputStream in = connection.getInputStream()) {
                return Optional.of(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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
            URLConnection connection = index.openConnection();
            if (connection instanceof JarURLConnection jar) { // the jar the class loader has open: its index is shared
                return digest(jar.getJarFile());
            }
            return digest(Path.of(index.toURI()).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digest(JarFile jar) throws IOException {
        MessageDigest sha = sha256();
        List<JarEntry> files = jar.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(RESOURCES + "/"))
                .sorted(Comparator.comparing(JarEntry::getName)).toList();
        for (JarEntry file : files) {
            sha.update(file.getName().substring(RESOURCES.length() + 1).getBytes(StandardCharsets.UTF_8));
            try (InputStream in = jar.getInputStream(file)) {
                sha.update(in.readAllBytes());
            }
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 6);
    }

    private static String digest(Path root) throws IOException {
        MessageDigest sha = sha256();
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
