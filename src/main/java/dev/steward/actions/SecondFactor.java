package dev.steward.actions;

/**
 * Checks the one-time code a person gives with an approval that needs more than a click (a payment above the
 * configured amount). The gate knows only this question; app answers it with the user's TOTP secret.
 */
@FunctionalInterface
public interface SecondFactor {
    /** Whether {@code code} is the approving user's valid code right now. */
    boolean verify(String userId, String code);

    /** No second factor is set up: every approval that needs one is refused, with how to set it up. */
    SecondFactor NONE = (userId, code) -> false;
}
