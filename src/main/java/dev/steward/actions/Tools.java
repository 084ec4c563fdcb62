package dev.steward.actions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The tools available to a run, by name: Steward's own, and those of tool sources (external MCP servers), which are
 * asked for their tools only when one of them is needed. A name's own tool wins over a source's of the same name.
 */
public final class Tools implements AutoCloseable {
    private final Map<String, Tool> byName = new LinkedHashMap<>();
    private final Map<String, ToolSource> sources = new LinkedHashMap<>();

    public Tools(List<Tool> tools) {
        this(tools, List.of());
    }

    public Tools(List<Tool> tools, List<ToolSource> sources) {
        for (Tool tool : tools) {
            if (byName.putIfAbsent(tool.spec().name(), tool) != null) {
                throw new IllegalArgumentException("two tools are named " + tool.spec().name());
            }
        }
        for (ToolSource source : sources) {
            if (this.sources.putIfAbsent(source.name(), source) != null) {
                throw new IllegalArgumentException("two tool sources are named " + source.name());
            }
        }
    }

    public Optional<Tool> find(String name) {
        Tool own = byName.get(name);
        if (own != null) {
            return Optional.of(own);
        }
        int dot = name.indexOf('.');
        ToolSource source = dot < 0 ? null : sources.get(name.substring(0, dot));
        if (source == null) {
            return Optional.empty();
        }
        return source.tools().stream().filter(t -> t.spec().name().equals(name)).findFirst();
    }

    /** Every tool, the sources' included (they are connected side by side, each within its own timeout). */
    public Collection<Tool> all() {
        List<Tool> all = new ArrayList<>(byName.values());
        if (sources.isEmpty()) {
            return all;
        }
        try (ExecutorService connecting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Tool>>> lists = sources.values().stream()
                    .map(s -> connecting.submit(s::tools)).toList();
            for (Future<List<Tool>> list : lists) {
                try {
                    list.get().stream().filter(t -> !byName.containsKey(t.spec().name())).forEach(all::add);
                } catch (Exception e) {
                    // A source reports its own failure through unavailable(); it never takes the others down.
                }
            }
        }
        return all;
    }

    /** Steward's own tools only: no source is asked. */
    public Collection<Tool> local() {
        return byName.values();
    }

    public Collection<ToolSource> sources() {
        return sources.values();
    }

    @Override
    public void close() {
        sources.values().forEach(ToolSource::close);
    }
}
