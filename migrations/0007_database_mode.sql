CREATE TABLE `database_mode` (
	`id` integer PRIMARY KEY DEFAULT 1 NOT NULL,
	`mode` text NOT NULL,
	`stamped_at` integer NOT NULL,
	CONSTRAINT "database_mode_one_row" CHECK("database_mode"."id" = 1),
	CONSTRAINT "database_mode_mode" CHECK("database_mode"."mode" IN ('paper', 'live', 'demo'))
);
