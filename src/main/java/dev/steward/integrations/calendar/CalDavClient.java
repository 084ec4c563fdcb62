package dev.steward.integrations.calendar;

import dev.steward.actions.ToolException;
import dev.steward.config.ConnectionsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * CalDAV (RFC 4791) on one calendar collection: PROPFIND to check it, REPORT calendar-query for a time range, PUT and
 * DELETE of event resources with ETags. Every failure is a ToolException naming the connection and the fix.
 */
final class CalDavClient {
    static final String DAV = "DAV:";
    static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    private static final MediaType XML = MediaType.get("application/xml; charset=utf-8");
    private static final MediaType ICS = MediaType.get("text/calendar; charset=utf-8");

    /** One event resource of the collection: its name in the collection, its ETag and its iCalendar text. */
    record Resource(String name, String etag, String ics) {}

    private final ConnectionsConfig.Calendar config;
    private final OkHttpClient http;

    CalDavClient(ConnectionsConfig.Calendar config) {
        this.config = config;
        this.http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** Checks that the URL is a calendar collection this account may read; its display name. */
    String check() {
        Document answer = xml(call("PROPFIND", config.url(), RequestBody.create("""
                <?xml version="1.0" encoding="utf-8"?>
                <d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:displayname/></d:prop></d:propfind>""", XML),
                "0", null, null, 207));
        if (answer.getElementsByTagNameNS(CALDAV, "calendar").getLength() == 0) {
            boolean collection = answer.getElementsByTagNameNS(DAV, "collection").getLength() > 0;
            throw new ToolException("calendar: " + config.url() + " is not a calendar collection"
                    + (collection ? " (it is a plain collection, such as the account's home)" : "")
                    + " — set connections.calendar.url to a calendar inside it, such as " + config.url() + "work/");
        }
        NodeList names = answer.getElementsByTagNameNS(DAV, "displayname");
        return names.getLength() == 0 ? "" : names.item(0).getTextContent();
    }

    /** The events that overlap [start, end), as iCalendar text (UTC times, like 20261208T100000Z). */
    List<Resource> query(String start, String end) {
        Document answer = xml(call("REPORT", config.url(), RequestBody.create("""
                <?xml version="1.0" encoding="utf-8"?>
                <c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
                  <d:prop><d:getetag/><c:calendar-data/></d:prop>
                  <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">
                    <c:time-range start="%s" end="%s"/>
                  </c:comp-filter></c:comp-filter></c:filter>
                </c:calendar-query>""".formatted(start, end), XML), "1", null, null, 207));
        List<Resource> found = new ArrayList<>();
        NodeList responses = answer.getElementsByTagNameNS(DAV, "response");
        for (int i = 0; i < responses.getLength(); i++) {
            Element response = (Element) responses.item(i);
            String data = text(response, CALDAV, "calendar-data");
            if (data != null && !data.isBlank()) {
                found.add(new Resource(name(text(response, DAV, "href")), text(response, DAV, "getetag"), data));
            }
        }
        return found;
    }

    Resource get(String name) {
        try (Response response = execute(new Request.Builder().url(config.url() + name).get(), 200)) {
            return new Resource(name, response.header("ETag"), response.body().string());
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Writes an event resource: only if new ({@code etag} null) or unchanged since it was read. */
    void put(String name, String ics, String etag) {
        call("PUT", config.url() + name, RequestBody.create(ics, ICS), null, etag == null ? "*" : null, etag, 201, 204);
    }

    void delete(String name, String etag) {
        call("DELETE", config.url() + name, null, null, null, etag, 200, 204);
    }

    private String call(String method, String url, RequestBody body, String depth, String ifNoneMatch, String ifMatch,
                        int... ok) {
        Request.Builder request = new Request.Builder().url(url).method(method, body);
        if (depth != null) {
            request.header("Depth", depth);
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        try (Response response = execute(request, ok)) {
            return response.body().string();
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private Response execute(Request.Builder request, int... ok) throws IOException {
        if (config.user() != null) {
            request.header("Authorization", Credentials.basic(config.user(),
                    config.password() == null ? "" : config.password(), StandardCharsets.UTF_8));
        }
        Request built = request.build();
        Response response;
        try {
            response = http.newCall(built).execute();
        } catch (IOException e) {
            throw unreachable(e);
        }
        for (int code : ok) {
            if (response.code() == code) {
                return response;
            }
        }
        int status = response.code();
        response.close();
        throw switch (status) {
            case 401, 403 -> new ToolException("calendar: " + config.url() + " refused " + (status == 401
                    ? "the login of " + config.user() + " — check connections.calendar.user and password (store it "
                    + "with 'steward secrets set CAL_PASSWORD')" : "access for " + config.user()
                    + " — the account may not use this calendar; check connections.calendar.url"));
            case 404 -> new ToolException("calendar: " + built.url() + " does not exist — check connections.calendar.url"
                    + " (a CalDAV calendar collection) or the event id");
            case 412 -> new ToolException("calendar: the event changed on the server since it was read (or already "
                    + "exists) — list it again and retry");
            default -> new ToolException("calendar: " + built.method() + " " + built.url() + " answered " + status
                    + " — check connections.calendar.url; is it a CalDAV server?");
        };
    }

    private ToolException unreachable(IOException e) {
        if (e instanceof SSLException) {
            return new ToolException("calendar: TLS failed with " + config.url() + " (" + e.getMessage() + ") — use "
                    + "http:// for a plain server or fix its certificate");
        }
        String why = e instanceof ConnectException ? "connection refused" : e instanceof UnknownHostException
                ? "unknown host" : e.getMessage();
        return new ToolException("calendar: cannot reach " + config.url() + " (" + why + ") — is the server up, "
                + "and is connections.calendar.url right?");
    }

    private Document xml(String text) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // A server's answer is data: no DTDs, no external entities.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new ToolException("calendar: " + config.url() + " answered with XML that cannot be read ("
                    + e.getMessage() + ") — is it a CalDAV server?");
        }
    }

    private static String text(Element parent, String namespace, String name) {
        NodeList nodes = parent.getElementsByTagNameNS(namespace, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    /** The last segment of an href: the resource's name in the collection. */
    private static String name(String href) {
        String path = href.endsWith("/") ? href.substring(0, href.length() - 1) : href;
        return java.net.URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }
}
