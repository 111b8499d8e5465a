CREATE TABLE "contributions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"need_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"contributor_id" uuid NOT NULL,
	"status" text NOT NULL,
	"shift_id" uuid,
	"hours_counted" integer,
	"quantity" integer,
	"material_mode" text,
	"return_by" date,
	"hours" integer,
	"amount_minor" bigint,
	"tip_minor" bigint,
	"currency" text,
	"payment_method" text,
	"payment_ref" text,
	"anonymous" boolean DEFAULT false NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contributions_quantity_positive" CHECK ("contributions"."quantity" IS NULL OR "contributions"."quantity" > 0),
	CONSTRAINT "contributions_hours_positive" CHECK ("contributions"."hours" IS NULL OR "contributions"."hours" > 0),
	CONSTRAINT "contributions_amount_positive" CHECK ("contributions"."amount_minor" IS NULL OR "contributions"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"ref_id" uuid,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"group_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	CONSTRAINT "ledger_entries_nonzero" CHECK ("ledger_entries"."amount_minor" <> 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"contribution_id" uuid,
	"provider_event" text,
	"memo" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contributions" ADD CONSTRAINT "contributions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contributions" ADD CONSTRAINT "contributions_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contributions" ADD CONSTRAINT "contributions_contributor_id_users_id_fk" FOREIGN KEY ("contributor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contributions" ADD CONSTRAINT "contributions_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "public"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_group_id_ledger_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."ledger_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contributions_project_idx" ON "contributions" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "contributions_need_idx" ON "contributions" USING btree ("need_id");--> statement-breakpoint
CREATE INDEX "contributions_contributor_idx" ON "contributions" USING btree ("contributor_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "contributions_idempotency_key" ON "contributions" USING btree ("contributor_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "contributions_one_signup_per_shift" ON "contributions" USING btree ("shift_id","contributor_id") WHERE "contributions"."kind" = 'volunteers' AND "contributions"."status" IN ('signed_up', 'attended', 'absent');--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_key" ON "ledger_accounts" USING btree ("kind",coalesce("ref_id", '00000000-0000-0000-0000-000000000000'::uuid),"currency");--> statement-breakpoint
CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_group_idx" ON "ledger_entries" USING btree ("group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_groups_provider_event_key" ON "ledger_groups" USING btree ("provider_event");--> statement-breakpoint
CREATE INDEX "ledger_groups_contribution_idx" ON "ledger_groups" USING btree ("contribution_id");