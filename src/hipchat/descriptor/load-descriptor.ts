/** Where the add-on serves its descriptor (links.self). */
export const DESCRIPTOR_PATH = '/atlassian-connect.json';
