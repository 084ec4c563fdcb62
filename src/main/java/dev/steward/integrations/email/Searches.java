package dev.steward.integrations.email;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ToolException;
import dev.steward.integrations.common.Args;
import jakarta.mail.Flags;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.BodyTerm;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.FromStringTerm;
import jakarta.mail.search.OrTerm;
import jakarta.mail.search.ReceivedDateTerm;
import jakarta.mail.search.SearchTerm;
import jakarta.mail.search.SubjectTerm;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** email.search's arguments as an IMAP search, run by the server. */
final class Searches {
    private Searches() {}

    static SearchTerm term(JsonNode args) {
        List<SearchTerm> terms = new ArrayList<>();
        String query = Args.optional(args, "query");
        if (query != null && !query.isBlank()) {
            terms.add(new OrTerm(new SubjectTerm(query), new BodyTerm(query)));
        }
        String from = Args.optional(args, "from");
        if (from != null && !from.isBlank()) {
            terms.add(new FromStringTerm(from));
        }
        String since = Args.optional(args, "since");
        if (since != null && !since.isBlank()) {
            try {
                LocalDate day = LocalDate.parse(since.strip().substring(0, Math.min(10, since.strip().length())));
                terms.add(new ReceivedDateTerm(ComparisonTerm.GE, Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant())));
            } catch (DateTimeParseException e) {
                throw new ToolException("email: since '" + since + "' is not a date; write it as YYYY-MM-DD");
            }
        }
        if (Args.flag(args, "unread")) {
            terms.add(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        }
        if (terms.isEmpty()) {
            return new FlagTerm(new Flags(Flags.Flag.DELETED), false); // everything not deleted
        }
        return terms.size() == 1 ? terms.getFirst() : new AndTerm(terms.toArray(SearchTerm[]::new));
    }
}
