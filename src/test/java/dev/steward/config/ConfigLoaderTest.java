package dev.steward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** steward.yaml and the environment, as a user meets them: first run, mistakes, and overrides. */
class ConfigLoaderTest {
    @TempDir
    Path temp;

    private Path home() {
        return temp.resolve("home");
    }

    private StewardConfig load(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("STEWARD_HOME", home().toString());
        return new ConfigLoader(all).load();
    }

    private StewardConfig load(String yaml, Map<String, String> env) throws IOException {
        Files.createDirectories(home());
        Files.writeString(home().resolve("steward.yaml"), yaml, StandardCharsets.UTF_8);
        return load(env);
    }

    private ConfigException failure(String yaml, Map<String, String> env) {
        return catchThrowableOfType(ConfigException.class, () -> load(yaml, env));
    }

    @Nested
    @DisplayName("first run")
    class FirstRun {
        @Test
        void createsTheHomeTheWorkspaceAndACommentedSettingsFile() throws IOException {
            StewardConfig config = load(Map.of());

            assertThat(home()).isDirectory();
            assertThat(home().resolve("workspace")).isDirectory();
            Path file = home().resolve("steward.yaml");
            assertThat(config.file()).isEqualTo(file);
            List<String> settings = Files.readAllLines(file).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
            assertThat(settings).as("the template sets nothing: every line is a comment").isEmpty();
            assertThat(Files.readString(file))
                    .contains("routing:", "mode:", "providers:", "api_key: ${", "database:", "workspace:",
                            "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "OLLAMA_HOST",
                            "STEWARD_ROUTING_MODE", "steward config show");
        }

        @Test
        void theTemplateMeansTheDefaults() {
            StewardConfig config = load(Map.of());

            assertThat(config).isEqualTo(StewardConfig.defaults(home()));
            assertThat(config.routing().mode()).isEqualTo(RoutingMode.AUTO);
            assertThat(config.providers()).isEmpty();
            assertThat(config.database().url()).isEmpty();
            assertThat(config.workspace()).isEqualTo(home().resolve("workspace"));
            assertThat(config.memory().extractor()).isEqualTo(MemoryConfig.Extractor.PATTERNS);
        }

        @Test
        void theModelFactExtractorIsChosenInTheMemorySection() throws IOException {
            assertThat(load("memory:\n  extractor: model\n", Map.of()).memory().extractor())
                    .isEqualTo(MemoryConfig.Extractor.MODEL);
        }

        @Test
        void theSemanticCacheIsOffUntilARouteOptsIn() throws IOException {
            assertThat(load(Map.of()).cache().semantic().enabled()).isFalse();

            SemanticCacheConfig semantic = load("cache:\n  semantic:\n    routes: [openai/gpt-4o-mini]\n"
                    + "    similarity: 0.98\n    read_only_tools: [web.search]\n", Map.of()).cache().semantic();

            assertThat(semantic.enabled()).isTrue();
            assertThat(semantic.routes()).containsExactly("openai/gpt-4o-mini");
            assertThat(semantic.similarity()).isEqualTo(0.98);
            assertThat(semantic.readOnlyTools()).containsExactly("web.search");
            assertThat(semantic.shared()).isFalse();
            assertThat(semantic.ttlSeconds()).isEqualTo(3600);
        }

        @Test
        void aSecondRunKeepsTheUsersFile() throws IOException {
            load("routing:\n  mode: offline\n", Map.of());

            assertThat(load(Map.of()).routing().mode()).isEqualTo(RoutingMode.OFFLINE);
            assertThat(Files.readString(home().resolve("steward.yaml"))).isEqualTo("routing:\n  mode: offline\n");
        }

        @Test
        void theTemplatesCommentedExamplesAreValidWhenUncommented() throws IOException {
            load(Map.of());
            String template = Files.readString(home().resolve("steward.yaml"));
            var secrets = dev.steward.config.secrets.SecretStore.open(home(), Map.of());
            for (String name : List.of("MAIL_PASSWORD", "CAL_PASSWORD", "STRIPE_KEY")) {
                secrets.set(name, name.toLowerCase(java.util.Locale.ROOT) + "-secret");
            }

            StewardConfig config = load(uncommentExamples(template),
                    Map.of("VLLM_API_KEY", "vllm-secret", "PGPASSWORD", "db-secret"));

            assertThat(config.routing().mode()).isEqualTo(RoutingMode.AUTO);
            assertThat(config.providers()).extracting(ProviderConfig::name).containsExactly("ollama", "vllm");
            assertThat(config.providers().get(1).apiKey()).isEqualTo("vllm-secret");
            assertThat(config.providers().get(1).models()).singleElement()
                    .satisfies(m -> assertThat(m.contextLength()).isEqualTo(32768));
            assertThat(config.database().url()).isEqualTo("jdbc:postgresql://localhost:5432/steward");
            assertThat(config.database().password()).isEqualTo("db-secret");
            assertThat(config.connections().names()).containsExactly("email", "calendar", "payments");
            assertThat(config.connections().email().password()).isEqualTo("mail_password-secret");
            assertThat(config.connections().payments().apiKey()).isEqualTo("stripe_key-secret");
        }

        /** A commented example starts with '#key:' at the margin and runs while lines start with '#  '. */
        private static String uncommentExamples(String template) {
            StringBuilder out = new StringBuilder();
            boolean inExample = false;
            for (String line : template.split("\n")) {
                inExample = line.matches("#[a-z_]+:.*") || (inExample && line.startsWith("#  "));
                if (inExample) {
                    out.append(line.substring(1)).append('\n');
                }
            }
            assertThat(out).as("the template has commented examples").contains("providers:");
            return out.toString();
        }

        @Test
        void aModelNeedsOnlyItsName() throws IOException {
            StewardConfig config = load("""
                    providers:
                      - name: vllm
                        kind: openai
                        base_url: http://gpu:8000/v1
                        models:
                          - name: qwen2.5-7b-instruct
                          - name: llama
                            input_price_per_million:
                    """, Map.of());

            assertThat(config.providers().get(0).models()).containsExactly(
                    new ModelConfig("qwen2.5-7b-instruct", null, 0, 0, 0, null), new ModelConfig("llama", null, 0, 0, 0, null));
        }

        @Test
        void anEmptyFileIsValid() throws IOException {
            assertThat(load("", Map.of())).isEqualTo(StewardConfig.defaults(home()));
            assertThat(load("# nothing here\n", Map.of())).isEqualTo(StewardConfig.defaults(home()));
        }

        @Test
        void aHomeThatCannotBeCreatedNamesSTEWARD_HOME() throws IOException {
            Path blocker = temp.resolve("a-file");
            Files.writeString(blocker, "not a folder");

            assertThatThrownBy(() -> new ConfigLoader(Map.of("STEWARD_HOME", blocker.resolve("home").toString())).load())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("STEWARD_HOME=" + blocker.resolve("home"))
                    .hasMessageContaining("set STEWARD_HOME to a folder you can write to");
        }
    }

    @Nested
    @DisplayName("a broken steward.yaml")
    class BrokenFile {
        static Stream<Arguments> mistakes() {
            return Stream.of(
                    Arguments.of("a value outside the allowed set",
                            "routing:\n  mode: fast\n",
                            2, "routing.mode", "use one of: offline, local, cloud, auto, hybrid"),
                    Arguments.of("a fact extractor that does not exist",
                            "memory:\n  extractor: llm\n",
                            2, "memory.extractor", "use one of: patterns, model"),
                    Arguments.of("a number where a name belongs",
                            "routing:\n  mode: 3\n",
                            2, "routing.mode", "use one of: offline, local, cloud, auto, hybrid"),
                    Arguments.of("a yes/no where a name belongs",
                            "routing:\n  mode: yes\n",
                            2, "routing.mode", "use one of: offline, local, cloud, auto, hybrid"),
                    Arguments.of("a typo in a nested key",
                            "routing:\n  mdoe: auto\n",
                            2, "routing.mdoe", "did you mean 'mode'?"),
                    Arguments.of("a typo in a top-level key, after a comment",
                            "# my settings\nroutng:\n  mode: auto\n",
                            2, "routng", "did you mean 'routing'?"),
                    Arguments.of("a typo in a provider's key",
                            "providers:\n  - name: vllm\n    kind: openai\n    baseurl: http://x:8000/v1\n",
                            4, "providers.vllm.baseurl", "did you mean 'base_url'?"),
                    Arguments.of("a provider kind that does not exist",
                            "providers:\n  - name: vllm\n    kind: opnai\n",
                            3, "providers.vllm.kind", "use one of: openai, anthropic, ollama"),
                    Arguments.of("a tab used for indentation",
                            "routing:\n\tmode: auto\n",
                            2, null, "indent with spaces"),
                    Arguments.of("an unclosed bracket",
                            "workspace: work\nrouting: {mode: auto\nproviders: []\n",
                            3, null, "not valid YAML"),
                    Arguments.of("a key written twice",
                            "routing:\n  mode: local\nworkspace: x\nrouting:\n  mode: cloud\n",
                            4, "routing", "keep one of them"),
                    Arguments.of("a key indented wrongly",
                            "routing:\n  mode: auto\n workspace: x\n",
                            3, null, "indentation"),
                    Arguments.of("text where a number belongs",
                            "providers:\n  - name: vllm\n    kind: openai\n    models:\n      - name: m\n        context_length: lots\n",
                            6, "providers.vllm.models.0.context_length", "write a whole number"),
                    Arguments.of("a model without a name",
                            "providers:\n  - name: vllm\n    kind: openai\n    models:\n      - tier: local\n",
                            5, "providers.vllm.models.0", "name:"),
                    Arguments.of("a list where a mapping belongs",
                            "routing: [auto]\n",
                            1, "routing", "mapping"),
                    Arguments.of("a mapping where a list belongs",
                            "providers:\n  name: vllm\n  kind: openai\n",
                            1, "providers", "list"),
                    Arguments.of("a list where text belongs",
                            "workspace:\n  - a\n",
                            1, "workspace", "text"),
                    Arguments.of("a list at the top",
                            "- routing\n- providers\n",
                            1, null, "mapping"),
                    Arguments.of("a provider without a name",
                            "providers:\n  - kind: openai\n    base_url: http://x:8000/v1\n",
                            2, "providers.0", "name:"),
                    Arguments.of("a provider with neither name nor kind",
                            "providers:\n  - base_url: http://x:8000/v1\n",
                            2, "providers.0", "name:"),
                    Arguments.of("a provider without a kind",
                            "providers:\n  - name: vllm\n    base_url: http://x:8000/v1\n",
                            2, "providers.vllm", "kind: openai"),
                    Arguments.of("a base_url without a scheme",
                            "providers:\n  - name: vllm\n    kind: openai\n    base_url: localhost:8000/v1\n",
                            4, "providers.vllm.base_url", "http://"),
                    Arguments.of("an api_key naming an unset variable",
                            "providers:\n  - name: vllm\n    kind: openai\n    api_key: ${STEWARD_TEST_UNSET_KEY}\n",
                            4, "providers.vllm.api_key", "export STEWARD_TEST_UNSET_KEY="),
                    Arguments.of("a database password naming an unset variable",
                            "database:\n  url: jdbc:postgresql://db:5432/steward\n  password: ${STEWARD_TEST_UNSET_PW}\n",
                            3, "database.password", "export STEWARD_TEST_UNSET_PW="),
                    Arguments.of("a database url of an unknown kind",
                            "database:\n  url: mysql://db/steward\n",
                            2, "database.url", "jdbc:postgresql://"),
                    Arguments.of("a role that does not exist",
                            "actions:\n  roles:\n    viewer:\n      read: deny\n",
                            2, "actions.roles", "use one of: admin, standard, limited"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("mistakes")
        void namesTheFileAndLineTheKeyAndTheFix(String mistake, String yaml, int line, String key, String fix) {
            ConfigException e = failure(yaml, Map.of());

            assertThat(e).as("a ConfigException for " + mistake).isNotNull();
            Path file = home().resolve("steward.yaml");
            assertThat(e.where()).isEqualTo(file + ":" + line);
            assertThat(e.getMessage()).startsWith(file + ":" + line + ": ");
            if (key != null) {
                assertThat(e.key()).isEqualTo(key);
                assertThat(e.getMessage()).contains(key);
            }
            assertThat(e.getMessage()).contains(fix);
            assertThat(e.getMessage()).as("one line").doesNotContain("\n");
            assertThat(e.getMessage()).as("no Java internals")
                    .doesNotContain("dev.steward", "java.", "JsonToken", "DeserializationFeature", "`");
        }
    }

    @Nested
    @DisplayName("STEWARD_* variables")
    class StewardVariables {
        @Test
        void overrideTheFile() throws IOException {
            StewardConfig config = load("routing:\n  mode: cloud\nworkspace: files\n",
                    Map.of("STEWARD_ROUTING_MODE", "local", "STEWARD_WORKSPACE", "/srv/work"));

            assertThat(config.routing().mode()).isEqualTo(RoutingMode.LOCAL);
            assertThat(config.workspace()).isEqualTo(Path.of("/srv/work"));
        }

        @Test
        void setDatabaseSettings() {
            StewardConfig config = load(Map.of("STEWARD_DATABASE_URL", "jdbc:postgresql://db:5432/steward",
                    "STEWARD_DATABASE_USER", "steward", "STEWARD_DATABASE_PASSWORD", "pw"));

            assertThat(config.database()).isEqualTo(new DatabaseConfig("jdbc:postgresql://db:5432/steward", "steward", "pw"));
        }

        @Test
        void aBadValueNamesTheVariableNotTheFile() throws IOException {
            ConfigException e = failure("routing:\n  mode: cloud\n", Map.of("STEWARD_ROUTING_MODE", "fast"));

            assertThat(e.where()).isEqualTo("STEWARD_ROUTING_MODE");
            assertThat(e.getMessage()).startsWith("STEWARD_ROUTING_MODE: ")
                    .contains("'fast'", "use one of: offline, local, cloud, auto, hybrid")
                    .doesNotContain("steward.yaml");
        }

        @Test
        void aBadDatabaseUrlNamesTheVariable() {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> load(Map.of("STEWARD_DATABASE_URL", "postgres://db/steward")));

            assertThat(e.where()).isEqualTo("STEWARD_DATABASE_URL");
            assertThat(e.getMessage()).contains("jdbc:postgresql://");
        }

        @Test
        void anUnknownOneIsIgnoredWithAWarningThatSuggestsTheNearestSetting() {
            StewardConfig config = load(Map.of("STEWARD_ROUTNG_MODE", "local", "STEWARD_BUILD_NUMBER", "42"));

            assertThat(config.routing().mode()).isEqualTo(RoutingMode.AUTO);
            assertThat(config.warnings()).containsExactly(
                    "STEWARD_BUILD_NUMBER is not a Steward setting; ignored",
                    "STEWARD_ROUTNG_MODE is not a Steward setting (did you mean STEWARD_ROUTING_MODE?); ignored");
        }

        @Test
        void theLaunchersOwnVariablesAreNotSettings() {
            StewardConfig config = load(Map.of("STEWARD_DEBUG", "1", "STEWARD_JAVA_HOME", "/opt/jdk",
                    "STEWARD_JAVA_OPTS", "-Xmx1g", "STEWARD_NO_BUILD", "1"));

            assertThat(config).isEqualTo(StewardConfig.defaults(home()));
        }

        @Test
        void anEmptyValueMeansTheDefault() throws IOException {
            assertThat(load("routing:\n  mode: cloud\n", Map.of("STEWARD_ROUTING_MODE", "")).routing().mode())
                    .isEqualTo(RoutingMode.AUTO);
        }
    }

    @Nested
    @DisplayName("${VAR} references")
    class References {
        @Test
        void resolveInApiKeysAndTheDatabasePassword() throws IOException {
            StewardConfig config = load("""
                    providers:
                      - name: vllm
                        kind: openai
                        base_url: http://gpu:8000/v1/
                        api_key: ${VLLM_KEY}
                    database:
                      url: jdbc:postgresql://db:5432/steward
                      user: steward
                      password: ${DB_PW}
                    """, Map.of("VLLM_KEY", "vllm-secret", "DB_PW", "db-secret"));

            ProviderConfig vllm = config.providers().get(0);
            assertThat(vllm.apiKey()).isEqualTo("vllm-secret");
            assertThat(vllm.baseUrl()).isEqualTo("http://gpu:8000/v1");
            assertThat(vllm.source()).isEqualTo("steward.yaml");
            assertThat(config.database().password()).isEqualTo("db-secret");
        }

        @Test
        void aStewardNamedVariableTheFileRefersToIsNotMistakenForASetting() throws IOException {
            StewardConfig config = load("database:\n  password: ${STEWARD_DB_PASSWORD}\n",
                    Map.of("STEWARD_DB_PASSWORD", "db-secret"));

            assertThat(config.database().password()).isEqualTo("db-secret");
        }

        @Test
        void literalSecretsStayAsWritten() throws IOException {
            StewardConfig config = load("""
                    providers:
                      - name: vllm
                        kind: openai
                        base_url: http://gpu:8000/v1
                        api_key: plain-key
                    database:
                      password: plain-pw
                    """, Map.of());

            assertThat(config.providers().get(0).apiKey()).isEqualTo("plain-key");
            assertThat(config.database().password()).isEqualTo("plain-pw");
        }
    }

    @Nested
    @DisplayName("provider conventions of other tools")
    class ProviderConventions {
        @Test
        void openAiKeyAloneMeansOpenAiAtItsDefaultUrl() {
            StewardConfig config = load(Map.of("OPENAI_API_KEY", "sk-test"));

            assertThat(config.providers()).containsExactly(new ProviderConfig("openai", ProviderKind.OPENAI,
                    "https://api.openai.com/v1", "sk-test", List.of(), "OPENAI_API_KEY"));
        }

        @Test
        void openAiBaseUrlAloneMeansAKeylessCompatibleServer() {
            StewardConfig config = load(Map.of("OPENAI_BASE_URL", "http://localhost:8000/v1/"));

            assertThat(config.providers()).containsExactly(new ProviderConfig("openai", ProviderKind.OPENAI,
                    "http://localhost:8000/v1", null, List.of(), "OPENAI_BASE_URL"));
        }

        @Test
        void openAiKeyAndBaseUrlTogether() {
            StewardConfig config = load(Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", "https://llm.example/v1"));

            assertThat(config.providers()).singleElement().satisfies(p -> {
                assertThat(p.baseUrl()).isEqualTo("https://llm.example/v1");
                assertThat(p.apiKey()).isEqualTo("sk-test");
            });
        }

        @Test
        void aBaseUrlWithoutSchemeNamesTheVariable() {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> load(Map.of("OPENAI_BASE_URL", "localhost:8000/v1")));

            assertThat(e).isNotNull();
            assertThat(e.where()).isEqualTo("OPENAI_BASE_URL");
            assertThat(e.getMessage()).contains("'localhost:8000/v1'", "http://localhost:8000/v1");
        }

        @Test
        void anthropicKeyWithItsBaseUrl() {
            assertThat(load(Map.of("ANTHROPIC_API_KEY", "sk-ant")).providers()).containsExactly(
                    new ProviderConfig("anthropic", ProviderKind.ANTHROPIC, "https://api.anthropic.com", "sk-ant",
                            List.of(), "ANTHROPIC_API_KEY"));
            assertThat(load(Map.of("ANTHROPIC_API_KEY", "sk-ant", "ANTHROPIC_BASE_URL", "http://proxy:4000/"))
                    .providers()).singleElement()
                    .satisfies(p -> assertThat(p.baseUrl()).isEqualTo("http://proxy:4000"));
        }

        @ParameterizedTest(name = "OLLAMA_HOST={0} -> {1}")
        @CsvSource({
                "127.0.0.1,          http://127.0.0.1:11434",
                "0.0.0.0:11434,      http://127.0.0.1:11434",
                "0.0.0.0,            http://127.0.0.1:11434",
                "http://box:1234/,   http://box:1234",
                "box,                http://box:11434",
                "https://box,        https://box:11434",
                "box:8080,           http://box:8080",
                "'[::1]:11434',      'http://[::1]:11434'",
                "'[::1]',            'http://[::1]:11434'",
                "http://me:pw@gpu,   http://me:pw@gpu:11434",
                "http://me:pw@gpu:8/,http://me:pw@gpu:8",
        })
        void ollamaHostInEveryFormItIsWritten(String host, String url) {
            assertThat(load(Map.of("OLLAMA_HOST", host)).providers()).containsExactly(
                    new ProviderConfig("ollama", ProviderKind.OLLAMA, url, null, List.of(), "OLLAMA_HOST"));
        }

        @Test
        void blankVariablesAreIgnored() {
            assertThat(load(Map.of("OPENAI_API_KEY", " ", "ANTHROPIC_API_KEY", "", "OLLAMA_HOST", "")).providers())
                    .isEmpty();
        }

        @Test
        void replaceAFileEntryOfTheSameNameAndKeepTheOthers() throws IOException {
            StewardConfig config = load("""
                    providers:
                      - name: openai
                        kind: openai
                        base_url: http://from-the-file:8000/v1
                      - name: vllm
                        kind: openai
                        base_url: http://gpu:8000/v1
                      - name: ollama
                        kind: ollama
                    """, Map.of("OPENAI_API_KEY", "sk-env", "OLLAMA_HOST", "gpu"));

            List<String> described = new ArrayList<>();
            config.providers().forEach(p -> described.add(p.name() + " " + p.baseUrl() + " " + p.source()));
            assertThat(described).containsExactlyInAnyOrder(
                    "vllm http://gpu:8000/v1 steward.yaml",
                    "openai https://api.openai.com/v1 OPENAI_API_KEY",
                    "ollama http://gpu:11434 OLLAMA_HOST");
        }
    }
}
