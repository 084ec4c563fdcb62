package dev.steward.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.support.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a tool call's arguments are held to: the tool's whole JSON Schema, in words a model can act on. */
class SchemaValidationTest {
    static List<String> problems(String schema, String arguments) {
        return SchemaValidator.problems(Json.parse(schema), Json.parse(arguments));
    }

    @Test
    void oneOfRefusesAValueThatFitsNoFormAndSaysWhyEachFormDidNot() {
        String schema = """
                {"type": "object", "properties": {"target": {"oneOf": [
                  {"type": "string", "pattern": "^[a-z]+$"},
                  {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}]}}}""";

        assertThat(problems(schema, "{\"target\": \"ABC\"}")).containsExactly("argument 'target': matches none of the"
                + " allowed forms: (1) expected text matching ^[a-z]+$ | (2) expected an object, found a string");
        assertThat(problems(schema, "{\"target\": {}}")).containsExactly("argument 'target': matches none of the"
                + " allowed forms: (1) expected a string, found an object | (2) argument 'target.id': required, but missing");
        assertThat(problems(schema, "{\"target\": \"abc\"}")).isEmpty();
        assertThat(problems(schema, "{\"target\": {\"id\": 7}}")).isEmpty();
    }

    @Test
    void oneOfRefusesAValueThatFitsMoreThanOneForm() {
        String schema = """
                {"properties": {"n": {"oneOf": [{"type": "integer"}, {"type": "number"}]}}}""";

        assertThat(problems(schema, "{\"n\": 3}"))
                .containsExactly("argument 'n': matches 2 of the allowed forms, but exactly one may match");
        assertThat(problems(schema, "{\"n\": 3.5}")).isEmpty();
    }

    @Test
    void anyOfRefusesAValueThatFitsNoForm() {
        String schema = """
                {"properties": {"limit": {"anyOf": [{"type": "integer"}, {"type": "string", "enum": ["all"]}]}}}""";

        assertThat(problems(schema, "{\"limit\": true}")).containsExactly("argument 'limit': matches none of the"
                + " allowed forms: (1) expected an integer, found a boolean (true)"
                + " | (2) expected a string, found a boolean (true)");
        assertThat(problems(schema, "{\"limit\": \"some\"}")).containsExactly("argument 'limit': matches none of the"
                + " allowed forms: (1) expected an integer, found a string | (2) expected one of all, found a string");
        assertThat(problems(schema, "{\"limit\": 10}")).isEmpty();
        assertThat(problems(schema, "{\"limit\": \"all\"}")).isEmpty();
    }

    @Test
    void aRefToDefsIsFollowedAndTheProblemNamesTheArgumentNotTheDefinition() {
        String schema = """
                {"$defs": {"point": {"type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
                                     "required": ["x", "y"], "additionalProperties": false}},
                 "type": "object",
                 "properties": {"from": {"$ref": "#/$defs/point"}, "to": {"$ref": "#/$defs/point"}}}""";

        assertThat(problems(schema, "{\"from\": {\"x\": \"a\", \"y\": 1}, \"to\": {\"x\": 0, \"z\": 1}}")).containsExactly(
                "argument 'from.x': expected a number, found a string",
                "argument 'to.y': required, but missing",
                "argument 'to.z': not expected; known: x, y");
        assertThat(problems(schema, "{\"from\": {\"x\": 0, \"y\": 0}, \"to\": {\"x\": 1.5, \"y\": -2}}")).isEmpty();
    }

    @Test
    void aPatternIsEnforced() {
        String schema = """
                {"properties": {"branch": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}}}""";

        assertThat(problems(schema, "{\"branch\": \"Fix bug\"}"))
                .containsExactly("argument 'branch': expected text matching ^[a-z][a-z0-9-]*$");
        assertThat(problems(schema, "{\"branch\": \"fix-bug-2\"}")).isEmpty();
    }

    @Test
    void boundsOnNumbersAreEnforced() {
        String schema = """
                {"properties": {"count": {"type": "integer", "minimum": 1, "maximum": 100},
                                "ratio": {"type": "number", "exclusiveMinimum": 0}}}""";

        assertThat(problems(schema, "{\"count\": 0, \"ratio\": 0}")).containsExactly(
                "argument 'count': expected at least 1, found 0",
                "argument 'ratio': expected more than 0, found 0");
        assertThat(problems(schema, "{\"count\": 101}")).containsExactly("argument 'count': expected at most 100, found 101");
        assertThat(problems(schema, "{\"count\": 1, \"ratio\": 0.5}")).isEmpty();
    }

    @Test
    void additionalPropertiesFalseRefusesUnknownNamesAndListsTheKnownOnes() {
        String schema = """
                {"type": "object", "properties": {"options": {"type": "object", "additionalProperties": false,
                  "properties": {"color": {"type": "string"}, "size": {"type": "integer"}}}}}""";

        assertThat(problems(schema, "{\"options\": {\"colour\": \"red\"}}"))
                .containsExactly("argument 'options.colour': not expected; known: color, size");
        assertThat(problems(schema, "{\"options\": {\"color\": \"red\"}, \"other\": 1}"))
                .as("only the object that says so is closed").isEmpty();
    }

    @Test
    void itemsOfNestedArraysAreCheckedAndNamedByTheirIndexes() {
        String schema = """
                {"properties": {"matrix": {"type": "array", "minItems": 1,
                  "items": {"type": "array", "items": {"type": "integer"}}}}}""";

        assertThat(problems(schema, "{\"matrix\": [[1, 2], [3, \"four\"], 5]}")).containsExactly(
                "argument 'matrix[1][1]': expected an integer, found a string",
                "argument 'matrix[2]': expected an array, found a number (5)");
        assertThat(problems(schema, "{\"matrix\": []}")).containsExactly("argument 'matrix': expected at least 1 item(s), found 0");
        assertThat(problems(schema, "{\"matrix\": [[1, 2], [3]]}")).isEmpty();
    }

    @Test
    void aNullArgumentCountsAsLeftOut() {
        String schema = """
                {"type": "object", "properties": {"path": {"type": "string"}, "limit": {"type": "integer"}},
                 "required": ["path"]}""";

        assertThat(problems(schema, "{\"path\": null}")).containsExactly("argument 'path': required, but missing");
        assertThat(problems(schema, "{\"path\": \"a.txt\", \"limit\": null}")).isEmpty();
    }

    @Test
    void aSchemaNamingAnOlderDraftIsReadByThatDraftWithoutFetchingIt() {
        String schema = """
                {"$schema": "http://json-schema.org/draft-07/schema#",
                 "definitions": {"mode": {"enum": ["fast", "safe"]}},
                 "properties": {"mode": {"$ref": "#/definitions/mode"}}}""";

        assertThat(problems(schema, "{\"mode\": \"reckless\"}"))
                .containsExactly("argument 'mode': expected one of fast, safe, found a string");
        assertThat(problems(schema, "{\"mode\": \"safe\"}")).isEmpty();
    }

    @Test
    void aSchemaThatCannotBeCompiledIsReportedRatherThanThrown() {
        assertThat(problems("""
                {"properties": {"name": {"type": "string", "pattern": "(["}}}""", "{\"name\": \"x\"}"))
                .singleElement().asString()
                .startsWith("the tool's input schema cannot be used (").contains("Unclosed character class");
        assertThat(problems("""
                {"properties": {"p": {"$ref": "#/$defs/missing"}}}""", "{\"p\": 1}"))
                .containsExactly("the tool's input schema cannot be used (Reference /$defs/missing cannot be resolved)");
        assertThat(problems("""
                {"properties": {"p": {"minimum": "one"}}}""", "{\"p\": 1}"))
                .containsExactly("the tool's input schema cannot be used (minimum value is not a number)");
    }

    @Test
    void aRemoteRefIsNotFetched() {
        assertThat(problems("""
                {"properties": {"p": {"$ref": "https://schemas.example.com/p.json"}}}""", "{\"p\": 1}"))
                .containsExactly("the tool's input schema cannot be used (cannot load https://schemas.example.com/p.json;"
                        + " only references within the schema are followed)");
    }
}
