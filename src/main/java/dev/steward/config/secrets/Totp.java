package dev.steward.config.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), as authenticator apps make them.
 * The JDK's HMAC does the work; a code of the step before or after also counts, for clocks a little apart.
 */
public final class Totp {
    public static final int DIGITS = 6;
    public static final int STEP_SECONDS = 30;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base32 BASE32 = new Base32();

    private Totp() {}

    /** A new random secret (160 bits), base32 as authenticator apps take it. */
    public static String newSecret() {
        byte[] secret = new byte[20];
        RANDOM.nextBytes(secret);
        return BASE32.encodeToString(secret).replace("=", "");
    }

    /** The otpauth:// URI an authenticator app reads (as a QR code or pasted). */
    public static String uri(String issuer, String account, String secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    /** The code for a moment. */
    public static String code(String secret, long epochSeconds) {
        return codeAt(key(secret), Math.floorDiv(epochSeconds, STEP_SECONDS));
    }

    /** Whether {@code code} is the code of this step or the one before or after. */
    public static boolean verify(String secret, String code, long epochSeconds) {
        if (secret == null || code == null || !code.matches("\\d{" + DIGITS + "}")) {
            return false;
        }
        byte[] key = key(secret);
        long step = Math.floorDiv(epochSeconds, STEP_SECONDS);
        boolean match = false;
        for (long s = step - 1; s <= step + 1; s++) {
            // Compare every candidate in constant time: the answer must not leak which step was close.
            match |= MessageDigest.isEqual(codeAt(key, s).getBytes(StandardCharsets.US_ASCII),
                    code.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    private static byte[] key(String secret) {
        return BASE32.decode(secret.replace(" ", "").toUpperCase(Locale.ROOT));
    }

    private static String codeAt(byte[] key, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] hash = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%0" + DIGITS + "d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this Java", e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
