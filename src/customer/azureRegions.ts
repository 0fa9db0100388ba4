/**
 * Azure public-cloud regions, by programmatic name: the "Programmatic name" column of Microsoft's
 * "Azure regions list" (learn.microsoft.com/azure/reliability/regions-list), the same names
 * `az account list-locations` prints. Restricted-access regions are included: a customer may
 * have been granted one. A new region is added here, and only here.
 */
export const azureRegions = [
  "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast", "austriaeast",
  "belgiumcentral", "brazilsouth", "brazilsoutheast", "canadacentral", "canadaeast", "centralindia",
  "centralus", "chilecentral", "eastasia", "eastus", "eastus2", "francecentral", "francesouth",
  "germanynorth", "germanywestcentral", "indonesiacentral", "israelcentral", "italynorth", "japaneast",
  "japanwest", "jioindiacentral", "jioindiawest", "koreacentral", "koreasouth", "malaysiawest",
  "mexicocentral", "newzealandnorth", "northcentralus", "northeurope", "norwayeast", "norwaywest",
  "polandcentral", "qatarcentral", "southafricanorth", "southafricawest", "southcentralus",
  "southeastasia", "southindia", "spaincentral", "swedencentral", "swedensouth", "switzerlandnorth",
  "switzerlandwest", "uaecentral", "uaenorth", "uksouth", "ukwest", "westcentralus", "westeurope",
  "westindia", "westus", "westus2", "westus3",
] as const;
