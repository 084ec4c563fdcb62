package dev.steward.integrations.email;

import dev.steward.actions.ToolException;

/** A message as the tools name it: its folder and its IMAP UID, written {@code FOLDER/UID} (such as INBOX/42). */
record MessageId(String folder, long uid) {
    static MessageId parse(String id) {
        int slash = id.lastIndexOf('/');
        try {
            return new MessageId(id.substring(0, slash), Long.parseLong(id.substring(slash + 1)));
        } catch (RuntimeException e) {
            throw new ToolException("email: '" + id + "' is not a message id; use an id from email.search, like INBOX/42");
        }
    }

    @Override
    public String toString() {
        return folder + "/" + uid;
    }
}
