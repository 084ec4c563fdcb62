package dev.steward.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** For tests of the knowledge base's seams (not of file formats): reads .md and .txt files as they are. */
public final class PlainTextReader implements DocumentReader {
    @Override
    public boolean reads(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".md") || name.endsWith(".txt");
    }

    @Override
    public String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new Unreadable(file.getFileName() + " cannot be read: " + e.getMessage(), e);
        }
    }
}
