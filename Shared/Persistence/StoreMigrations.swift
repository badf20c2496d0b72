// The versioned schema of the store, as GRDB migrations named "v1", "v2", ...
// Never edit a released migration: add a new one.

import GRDB

enum StoreMigrations {
  /// The migrator with every known schema version, in order.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1", migrate: v1)
    migrator.registerMigration("v2", migrate: v2Predictions)
    return migrator
  }

  // MARK: - v1

  private static func v1(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE datasets (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          format TEXT NOT NULL,
          class_count INTEGER NOT NULL CHECK (class_count BETWEEN 1 AND 255),
          class_names TEXT NOT NULL,
          slice_height INTEGER NOT NULL CHECK (slice_height > 0),
          slice_width INTEGER NOT NULL CHECK (slice_width > 0),
          created_at REAL NOT NULL,
          source_path TEXT NOT NULL);

        CREATE TABLE patients (
          id INTEGER PRIMARY KEY,
          dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          key TEXT NOT NULL,
          split TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
          info TEXT NOT NULL DEFAULT '{}',
          UNIQUE (dataset_id, key));

        CREATE TABLE volumes (
          id INTEGER PRIMARY KEY,
          dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
          key TEXT NOT NULL,
          phase TEXT NOT NULL,
          depth INTEGER NOT NULL CHECK (depth > 0),
          original_height INTEGER NOT NULL,
          original_width INTEGER NOT NULL,
          spacing_x REAL NOT NULL, spacing_y REAL NOT NULL, spacing_z REAL NOT NULL,
          UNIQUE (dataset_id, key));
        CREATE INDEX volumes_patient ON volumes(patient_id);

        CREATE TABLE slices (
          id INTEGER PRIMARY KEY,
          dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          volume_id INTEGER NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
          patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          count_in_volume INTEGER NOT NULL,
          phase TEXT NOT NULL,
          split TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
          UNIQUE (volume_id, position));
        CREATE INDEX slices_dataset_split ON slices(dataset_id, split);
        CREATE INDEX slices_patient ON slices(patient_id);

        CREATE TABLE images (
          slice_id INTEGER PRIMARY KEY REFERENCES slices(id) ON DELETE CASCADE,
          height INTEGER NOT NULL,
          width INTEGER NOT NULL,
          pixels BLOB NOT NULL CHECK (length(pixels) = 4 * height * width));

        CREATE TABLE ground_truth (
          slice_id INTEGER PRIMARY KEY REFERENCES slices(id) ON DELETE CASCADE,
          mask BLOB NOT NULL,
          scribble BLOB);

        CREATE TABLE annotations (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          slice_id INTEGER NOT NULL REFERENCES slices(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('scribble', 'full')),
          annotator TEXT NOT NULL,
          pixels BLOB NOT NULL,
          labeled_pixels INTEGER NOT NULL,
          cost_seconds REAL NOT NULL,
          created_at REAL NOT NULL);
        CREATE INDEX annotations_slice ON annotations(slice_id, id);

        CREATE TABLE experiments (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          config TEXT NOT NULL,
          state TEXT NOT NULL,
          created_at REAL NOT NULL,
          updated_at REAL NOT NULL);

        CREATE TABLE rounds (
          id INTEGER PRIMARY KEY,
          experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
          round_index INTEGER NOT NULL,
          strategy TEXT NOT NULL,
          seed INTEGER NOT NULL,
          state TEXT NOT NULL,
          step TEXT NOT NULL,
          payload TEXT NOT NULL DEFAULT '{}',
          created_at REAL NOT NULL,
          updated_at REAL NOT NULL,
          UNIQUE (experiment_id, strategy, seed, round_index));

        CREATE TABLE checkpoints (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          kind TEXT NOT NULL,
          experiment_id INTEGER REFERENCES experiments(id) ON DELETE CASCADE,
          round_id INTEGER REFERENCES rounds(id) ON DELETE CASCADE,
          metadata TEXT NOT NULL DEFAULT '{}',
          blob BLOB NOT NULL,
          created_at REAL NOT NULL);
        CREATE INDEX checkpoints_experiment ON checkpoints(experiment_id);
        CREATE INDEX checkpoints_round ON checkpoints(round_id);

        CREATE TABLE embeddings (
          checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
          slice_id INTEGER NOT NULL REFERENCES slices(id) ON DELETE CASCADE,
          vector BLOB NOT NULL,
          PRIMARY KEY (checkpoint_id, slice_id));
        CREATE INDEX embeddings_slice ON embeddings(slice_id);

        CREATE TABLE selections (
          round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
          rank INTEGER NOT NULL,
          slice_id INTEGER NOT NULL REFERENCES slices(id) ON DELETE CASCADE,
          score REAL NOT NULL,
          PRIMARY KEY (round_id, rank),
          UNIQUE (round_id, slice_id));
        CREATE INDEX selections_slice ON selections(slice_id);

        CREATE TABLE audit (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          time REAL NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          entity TEXT NOT NULL,
          detail TEXT NOT NULL);
        """)
  }

  // MARK: - v2

  /// v2: per-model class probabilities of slices, scored by the uncertainty strategies.
  private static func v2Predictions(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE predictions (
          checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
          slice_id INTEGER NOT NULL REFERENCES slices(id) ON DELETE CASCADE,
          passes INTEGER NOT NULL,
          classes INTEGER NOT NULL,
          height INTEGER NOT NULL,
          width INTEGER NOT NULL,
          probabilities BLOB NOT NULL,
          expected_entropy REAL NOT NULL,
          PRIMARY KEY (checkpoint_id, slice_id));
        CREATE INDEX predictions_slice ON predictions(slice_id);
        """)
  }
}
