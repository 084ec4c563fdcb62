package dev.steward.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every shape of key and secret is still cut out of a text whatever its case, now that a pattern runs only when the
 * text holds one of its words; and a text with none of them comes back as it was.
 */
class PrivacyFilterRedactTest {
    private final PrivacyFilter filter = new PrivacyFilter();

    @Test
    void everyKindOfKeyIsRemoved() {
        String[] keys = {
            "sk-abcdefghijklmnop1234", "sk-ant-abcdefghijklmnop1234", "ghp_abcdefghijklmnopqrstuv",
            "gho_abcdefghijklmnopqrstuv", "github_pat_abcdefghijklmnopqrstuv", "AKIAABCDEFGHIJKLMNOP",
            "xoxb-1234567890abc", "AIzaabcdefghijklmnopqrstuvwxyz0123456",
            "eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.abcdefghij", "-----BEGIN RSA PRIVATE KEY-----"};
        for (String key : keys) {
            assertThat(filter.redact("here: " + key + " thanks")).as(key).contains("[API key or token removed]")
                    .doesNotContain(key);
        }
    }

    @Test
    void aKeyOrSecretNamedBeforeItsValueIsRemovedInAnyCase() {
        String[][] named = {
            {"API_KEY = abcdefghijklmnop", "API key"}, {"Access-Token: abcdefghijklmnop", "API key"},
            {"BEARER abcdefghijklmnop", "API key"}, {"client_secret: abcdefghijklmnop", "API key"},
            {"My PASSWORD is hunter22", "password"}, {"passwd: hunter22", "password"},
            {"Passcode = 9911", "password"}, {"PWD: hunter22", "password"}, {"PIN code is 4321", "password"},
            {"the secret is moon", "password"}, {"2FA code: 123456", "password"}, {"OTP: 123456", "password"},
            {"Recovery Code = abcd-efgh", "password"}};
        for (String[] text : named) {
            assertThat(filter.redact(text[0])).as(text[0]).contains("[" + text[1]);
        }
    }

    @Test
    void aTextWithNothingSensitiveComesBackAsItWas() {
        String plain = "What is the status of milestone 7 of Harbor for team 42? Owned by person7, due in week 17.";
        assertThat(filter.redact(plain)).isEqualTo(plain);
    }
}
