// An ES module importer takes the "import" condition of @acme/utils.
import { refund } from "@acme/utils";

await refund(2);
