package dev.steward.actions;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools available to a run, by name. */
public final class Tools {
    private final Map<String, Tool> byName = new LinkedHashMap<>();

    public Tools(List<Tool> tools) {
        for (Tool tool : tools) {
            if (byName.putIfAbsent(tool.spec().name(), tool) != null) {
                throw new IllegalArgumentException("two tools are named " + tool.spec().name());
            }
        }
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Tool> all() {
        return byName.values();
    }
}
