package dev.steward.app;

import dev.steward.config.AliasFile;
import dev.steward.config.StewardConfig;
import dev.steward.rollout.Rollout;
import dev.steward.rollout.Rollouts;
import dev.steward.rollout.StateArchive;
import dev.steward.router.Router;
import dev.steward.store.Database;
import dev.steward.support.Lazy;
import java.nio.file.Path;

/**
 * What a promotion does to this home: a checkpoint of the whole state into {@code checkpoints/}, then the alias
 * rewritten in steward.yaml (only its line), then this process's router pointed at the new model.
 */
final class RolloutPromotion implements Rollouts.Promotion {
    private final StewardConfig config;
    private final Lazy<Database> database;
    private final Lazy<Router> router;

    RolloutPromotion(StewardConfig config, Lazy<Database> database, Lazy<Router> router) {
        this.config = config;
        this.database = database;
        this.router = router;
    }

    @Override
    public void persist(Rollout rollout) {
        Path checkpoint = config.home().resolve("checkpoints")
                .resolve("before-" + rollout.name() + "-" + System.currentTimeMillis() + ".zip");
        StateArchive.export(config.home(), database.get(), checkpoint);
        AliasFile.point(config.file(), rollout.alias(), rollout.candidate());
    }

    @Override
    public void retarget(String alias, String model) {
        router.get().pointAlias(alias, model);
    }
}
