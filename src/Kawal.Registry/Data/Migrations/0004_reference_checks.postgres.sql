-- The registry's bulk references checked per statement (core/0003_reference_checks): people, memberships and history.
SELECT kawal_reference_by_statement('participants', 'domicile_region_code', 'regions', 'code');
SELECT kawal_reference_by_statement('memberships', 'participant_id', 'participants', 'id');
SELECT kawal_reference_by_statement('memberships', 'employer_id', 'employers', 'id');
SELECT kawal_reference_by_statement('memberships', 'region_code', 'regions', 'code');
SELECT kawal_reference_by_statement('membership_history', 'membership_id', 'memberships', 'id');
