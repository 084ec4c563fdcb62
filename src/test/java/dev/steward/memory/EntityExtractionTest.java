package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The offline extractor splits compound statements, reads asides and relations, and resolves my/our/we. */
class EntityExtractionTest {
    final PatternFactExtractor extractor = new PatternFactExtractor();

    @Test
    void aCompoundStatementBecomesOneFactPerClauseWithTheAsideAsItsOwnFact() {
        List<FactCandidate> facts = extractor.extract(
                "remember that my company is Acme Corp and Alice (alice@acme.com) is our CFO");

        assertThat(facts).extracting(FactCandidate::subject, FactCandidate::attribute, FactCandidate::value)
                .containsExactlyInAnyOrder(
                        tuple("user", "company", "Acme Corp"),
                        tuple("Alice", "email", "alice@acme.com"),
                        tuple("us", "CFO", "Alice"));
    }

    @Test
    void anAndInsideOneValueDoesNotSplitIt() {
        assertThat(extractor.extract("I prefer tea and coffee")).singleElement()
                .satisfies(f -> assertThat(f.value()).isEqualTo("tea and coffee"));
        assertThat(extractor.extract("Bob leads sales and marketing")).singleElement()
                .satisfies(f -> assertThat(f.value()).isEqualTo("sales and marketing"));
    }

    @Test
    void relationsBetweenPeopleAndOrganisationsAreRead() {
        assertThat(extractor.extract("Bob leads our sales team. Carol reports to Bob; Dave works at Globex Inc,"
                + " Globex Inc is a customer of ours and our marketing team is led by Erin"))
                .extracting(FactCandidate::subject, FactCandidate::attribute, FactCandidate::value)
                .containsExactly(
                        tuple("Bob", "leads", "sales team"),
                        tuple("Carol", "reports to", "Bob"),
                        tuple("Dave", "works at", "Globex Inc"),
                        tuple("us", "customer", "Globex Inc"),
                        tuple("Erin", "leads", "marketing team"));
    }

    @Test
    void weAndOurAreTheOrganisationIAndMyAreTheUser() {
        assertThat(extractor.extract("we are based in Berlin, we sell Widget Pro and I'm the CTO"))
                .extracting(FactCandidate::subject, FactCandidate::attribute, FactCandidate::value)
                .containsExactly(
                        tuple("us", "location", "Berlin"),
                        tuple("us", "sells", "Widget Pro"),
                        tuple("user", "role", "CTO"));
        assertThat(extractor.extract("our office is in Lisbon")).singleElement()
                .satisfies(f -> assertThat(f.value()).isEqualTo("Lisbon"));
    }

    @Test
    void aRoleAtACompanyIsARoleAndAnEmployerAndAPhoneInAnAsideIsAPhone() {
        assertThat(extractor.extract("Frank (+44 20 7946 0958) is the head of research at Initech"))
                .extracting(FactCandidate::subject, FactCandidate::attribute, FactCandidate::value)
                .containsExactly(
                        tuple("Frank", "phone", "+44 20 7946 0958"),
                        tuple("Frank", "role", "head of research"),
                        tuple("Frank", "works at", "Initech"));
    }

    @Test
    void hedgedStatementsStayImpliedAndAPlainSentenceWithoutFactsYieldsNone() {
        assertThat(extractor.extract("I think Bob reports to Alice")).singleElement()
                .satisfies(f -> assertThat(f.confidence()).isEqualTo(FactCandidate.IMPLIED));
        assertThat(extractor.extract("it rained and we stayed in, then Bob called")).isEmpty();
    }
}
