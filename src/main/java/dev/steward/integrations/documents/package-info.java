/**
 * Office documents and PDFs as text with their headings and tables kept (Apache POI, PDFBox): {@link DocumentText}
 * reads .docx, .xlsx, .pptx, .pdf, .md, .txt and .csv on its own (the knowledge base can use it too); the tools
 * {@code docs.read} and {@code docs.write} (.docx and .md from Markdown, .xlsx from sheets) work in the workspace.
 * Uses actions (the tool SPI), support and integrations.common.
 */
package dev.steward.integrations.documents;
