/**
 * The secret store: named secrets encrypted at rest with Google Tink AEAD (AES-256-GCM), in
 * {@code STEWARD_HOME/secrets.json}, under a keyset kept in {@code STEWARD_HOME/secrets.keyset.json} (0600) or given by
 * the operator ({@code STEWARD_SECRETS_KEYSET}, {@code STEWARD_SECRETS_KEYSET_FILE}). The configuration loader resolves
 * {@code ${secret:NAME}} through it. Depends on support only (config uses it, so it may not use config).
 */
package dev.steward.config.secrets;
