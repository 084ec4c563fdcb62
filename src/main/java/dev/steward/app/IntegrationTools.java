package dev.steward.app;

import dev.steward.actions.SecondFactor;
import dev.steward.actions.Tool;
import dev.steward.config.ConnectionsConfig;
import dev.steward.config.StewardConfig;
import dev.steward.config.secrets.SecretStore;
import dev.steward.config.secrets.Totp;
import dev.steward.integrations.calendar.CalendarTools;
import dev.steward.integrations.common.WorkspacePaths;
import dev.steward.integrations.documents.DocumentTools;
import dev.steward.integrations.git.GitTools;
import dev.steward.integrations.email.EmailTools;
import dev.steward.integrations.payments.PaymentTools;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The integration tools a configuration has: documents and git always, email, calendar and payments when connected. */
final class IntegrationTools {
    private IntegrationTools() {}

    static List<Tool> create(StewardConfig config) {
        List<Tool> tools = new ArrayList<>();
        ConnectionsConfig connections = config.connections();
        WorkspacePaths workspace = new WorkspacePaths(config.workspace());
        tools.addAll(DocumentTools.create(workspace));
        tools.addAll(GitTools.create(workspace));
        if (connections.email() != null) {
            tools.addAll(EmailTools.create(connections.email(), workspace));
        }
        if (connections.calendar() != null) {
            tools.addAll(CalendarTools.create(connections.calendar()));
        }
        if (connections.payments() != null) {
            tools.addAll(PaymentTools.create(connections.payments()));
        }
        return tools;
    }

    /** Checks an approver's one-time code against their TOTP secret in the secret store. */
    static SecondFactor totp(StewardConfig config, Map<String, String> env) {
        SecretStore store = SecretStore.open(config.home(), env);
        return (userId, code) -> store.get(TotpCommand.secretName(userId))
                .map(secret -> Totp.verify(secret, code, System.currentTimeMillis() / 1000))
                .orElse(false);
    }
}
