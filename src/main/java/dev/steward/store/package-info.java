/**
 * The database: SQLite embedded by default or PostgreSQL, the connection pool, migrations and the background
 * writer. Holds rows; the parts above own what the rows mean. May depend on config and support only.
 */
package dev.steward.store;
