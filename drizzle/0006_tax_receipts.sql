CREATE TABLE "project_receipt_issuers" (
	"project_id" uuid PRIMARY KEY NOT NULL,
	"issuer_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receipt_issuers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"legal_status" text NOT NULL,
	"country" text NOT NULL,
	"registration_number" text DEFAULT '' NOT NULL,
	"eligible" boolean DEFAULT false NOT NULL,
	"next_number" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tax_receipts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"donor_id" uuid NOT NULL,
	"contribution_id" uuid,
	"donor_name" text NOT NULL,
	"donor_address" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"payment_date" date NOT NULL,
	"payment_method" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "project_receipt_issuers" ADD CONSTRAINT "project_receipt_issuers_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_receipt_issuers" ADD CONSTRAINT "project_receipt_issuers_issuer_id_receipt_issuers_id_fk" FOREIGN KEY ("issuer_id") REFERENCES "public"."receipt_issuers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD CONSTRAINT "tax_receipts_issuer_id_receipt_issuers_id_fk" FOREIGN KEY ("issuer_id") REFERENCES "public"."receipt_issuers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD CONSTRAINT "tax_receipts_donor_id_users_id_fk" FOREIGN KEY ("donor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tax_receipts_number_key" ON "tax_receipts" USING btree ("issuer_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "tax_receipts_single_key" ON "tax_receipts" USING btree ("contribution_id") WHERE "tax_receipts"."kind" = 'single';--> statement-breakpoint
CREATE UNIQUE INDEX "tax_receipts_yearly_key" ON "tax_receipts" USING btree ("issuer_id","donor_id","year") WHERE "tax_receipts"."kind" = 'yearly';--> statement-breakpoint
CREATE INDEX "tax_receipts_donor_idx" ON "tax_receipts" USING btree ("donor_id");