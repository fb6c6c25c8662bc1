-- The ledger's bulk references checked per statement (core/0003_reference_checks): bills, lines, payments, allocations.
SELECT kawal_reference_by_statement('bills', 'payer_id', 'payers', 'id');
SELECT kawal_reference_by_statement('bills', 'run_id', 'billing_runs', 'id');
SELECT kawal_reference_by_statement('bill_lines', 'bill_id', 'bills', 'id');
SELECT kawal_reference_by_statement('bill_lines', 'membership_id', 'memberships', 'id');
SELECT kawal_reference_by_statement('bill_lines', 'rate_set_id', 'rate_sets', 'id');
SELECT kawal_reference_by_statement('payments', 'payer_id', 'payers', 'id');
SELECT kawal_reference_by_statement('payments', 'bill_id', 'bills', 'id');
SELECT kawal_reference_by_statement('allocations', 'payment_id', 'payments', 'id');
SELECT kawal_reference_by_statement('allocations', 'credit_bill_id', 'bills', 'id');
SELECT kawal_reference_by_statement('allocations', 'bill_id', 'bills', 'id');
SELECT kawal_reference_by_statement('arrears_suspensions', 'membership_id', 'memberships', 'id');
