package dev.steward.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

/**
 * Browser sessions: a JWT (HS256) in an HttpOnly cookie, signed with a secret made once per home and kept in
 * {@code STEWARD_HOME/server.secret} (owner-only). The token carries a CSRF token too: a request that changes
 * something must send it back in a header, which a page on another site cannot read. A session ends {@link #LIFETIME}
 * after login, or when its owner logs out: a logged-out token is refused until it would have expired anyway (the
 * list of those is kept in the process; each node of a cluster keeps its own).
 */
public final class Sessions {
    public static final String COOKIE = "steward_session";
    public static final String CSRF_COOKIE = "steward_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final Duration LIFETIME = Duration.ofHours(12);
    public static final String SECRET_FILE = "server.secret";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A verified session: whose it is and the CSRF token it was issued with. */
    public record Session(String userId, String csrf) {}

    /** A new session: the signed token for the cookie, and the CSRF token for the page. */
    public record Issued(String token, String csrf) {}

    private final byte[] secret;
    private final Clock clock;
    /** Digests of logged-out tokens, with the time each would have expired. */
    private final java.util.Map<String, Long> revoked = new java.util.concurrent.ConcurrentHashMap<>();

    public Sessions(byte[] secret, Clock clock) {
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** Reads the home's signing secret, making it (readable by its owner only) on first use. */
    public static Sessions open(Path home, Clock clock) {
        Path file = home.resolve(SECRET_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(home);
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.write(file, Base64.getEncoder().encode(fresh), StandardOpenOption.TRUNCATE_EXISTING);
                } catch (FileAlreadyExistsException anotherProcessMadeIt) {
                    // Read theirs below.
                }
            }
            byte[] read = Base64.getDecoder().decode(Files.readString(file).strip());
            if (read.length < 32) {
                throw new IllegalStateException(file + " holds fewer than 256 bits; delete it and Steward makes a new"
                        + " one (everyone logs in again)");
            }
            return new Sessions(read, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    public Issued issue(String userId) {
        byte[] csrfBytes = new byte[24];
        RANDOM.nextBytes(csrfBytes);
        String csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(csrfBytes);
        Date now = Date.from(clock.instant());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId).issueTime(now).expirationTime(Date.from(clock.instant().plus(LIFETIME)))
                .claim("csrf", csrf).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a session: " + e.getMessage(), e);
        }
        return new Issued(jwt.serialize(), csrf);
    }

    /** Ends a session now (logging out): its token is refused from here on. Unknown or expired tokens are ignored. */
    public void revoke(String token) {
        if (token == null || token.isEmpty()) {
            return;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.verify(new MACVerifier(secret)) || jwt.getJWTClaimsSet().getExpirationTime() == null) {
                return;
            }
            long now = clock.millis();
            revoked.values().removeIf(expiry -> expiry <= now);
            revoked.put(digest(token), jwt.getJWTClaimsSet().getExpirationTime().getTime());
        } catch (ParseException | JOSEException e) {
            // not a session of ours: nothing to end
        }
    }

    private static String digest(String token) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session a cookie holds, if it is well signed, not expired and not logged out. */
    public Optional<Session> verify(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(secret))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            if (expires == null || !expires.toInstant().isAfter(clock.instant()) || claims.getSubject() == null
                    || revoked.containsKey(digest(token))) {
                return Optional.empty();
            }
            return Optional.of(new Session(claims.getSubject(), claims.getStringClaim("csrf")));
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }
}
